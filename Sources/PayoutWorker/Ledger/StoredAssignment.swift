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
        self.assignmentID = try row.decode(String.self, named: "assignment_id")
        self.conversationID = try row.decode(String.self, named: "conversation_id")
        self.offerID = try row.decode(String.self, named: "offer_id")
        self.agentID = try row.decode(String.self, named: "agent_id")
        let complexity = try row.decode(String.self, named: "complexity")
        self.resolution = PayoutPricing.Resolution(
            resolved: try row.decode(String.self, named: "outcome") == "resolved",
            complexity: ComplexityTier(rawValue: complexity) ?? .complex,
            vip: try row.decode(Bool.self, named: "vip"),
            surge: BasisPoints(try row.decode(Int64.self, named: "surge_bp")),
            resolvedAt: try row.decode(Date.self, named: "resolved_at")
        )
        self.market = try row.decode(String.self, named: "market")
        self.rateCardVersion = try row.decode(String.self, named: "rate_card_version")
    }

    func record(kind: EarningKind, components: EarningComponents, csat: Int? = nil, source: String, at date: Date)
        -> EarningRecord
    {
        EarningRecord(
            assignmentID: self.assignmentID, kind: kind, agentID: self.agentID, conversationID: self.conversationID,
            offerID: self.offerID, market: self.market, rateCardVersion: self.rateCardVersion, components: components,
            surge: self.resolution.surge, csat: csat, sourceMessageID: source, occurredAt: date
        )
    }
}
