public import Foundation

/// A time earning about to be booked when its period closes: one per agent, market and rate-card version, with id
/// `time:<period>:<agent>:<market>:<version>:<kind>`, so a period pays time at most once.
public struct TimeEarningRecord: Sendable, Hashable {
    public var periodID: String
    public var agentID: String
    public var market: String
    public var rateCardVersion: String
    public var earning: PayoutPricing.TimeEarning
    /// When it is booked as having happened: the end of the counted time.
    public var occurredAt: Date

    public var earningID: String {
        "time:\(self.periodID):\(self.agentID):\(self.market):\(self.rateCardVersion):\(self.earning.kind.rawValue)"
    }
}
