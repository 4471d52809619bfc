import ConciergeCore
import ConciergePostgres
import Foundation

/// A resolution as the payout tables recorded it.
struct StoredAssignment: Sendable, Hashable {
    var assignmentID: String
    var conversationID: String
    var offerID: String
    var agentID: String
    var resolution: PayoutPricing.Resolution
    var market: String
    var rateCardVersion: String

    static let columns = """
        assignment_id, conversation_id, offer_id, agent_id, outcome, complexity, vip, surge_bp, market, \
        rate_card_version, resolved_at
        """

    init(row: PostgresRow) throws {
        self.assignmentID = try row.decode(String.self, at: 0)
        self.conversationID = try row.decode(String.self, at: 1)
        self.offerID = try row.decode(String.self, at: 2)
        self.agentID = try row.decode(String.self, at: 3)
        let complexity = try row.decode(String.self, at: 5)
        self.resolution = PayoutPricing.Resolution(
            resolved: try row.decode(String.self, at: 4) == "resolved",
            complexity: ComplexityTier(rawValue: complexity) ?? .complex,
            vip: try row.decode(Bool.self, at: 6),
            surge: BasisPoints(try row.decode(Int64.self, at: 7)),
            resolvedAt: try row.decode(Date.self, at: 10)
        )
        self.market = try row.decode(String.self, at: 8)
        self.rateCardVersion = try row.decode(String.self, at: 9)
    }

    func record(kind: EarningKind, components: EarningComponents, csat: Int? = nil, source: String, at date: Date) -> EarningRecord {
        EarningRecord(
            assignmentID: self.assignmentID, kind: kind, agentID: self.agentID, conversationID: self.conversationID,
            offerID: self.offerID, market: self.market, rateCardVersion: self.rateCardVersion, components: components,
            surge: self.resolution.surge, csat: csat, sourceMessageID: source, occurredAt: date
        )
    }
}
