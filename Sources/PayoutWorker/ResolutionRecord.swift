import ConciergeCore
import ConciergePostgres
import ConciergeRuntime

/// What the escalation worker recorded about an assignment, for the facts a resolution's pay depends on.
///
/// `conversation.resolved.v1` states the surge the agent was offered, the VIP premium, the complexity and the
/// outcome; any component that can publish to the payout queue could state more. The payout worker pays what the
/// escalation worker's own rows say (`assignments`, `escalations`, the customer's market), and an event that
/// contradicts them is dead-lettered (`event_mismatch`, or `unknown_assignment` when there is no such assignment).
/// The escalation worker commits those rows before the event leaves its outbox, so a genuine event always finds them.
struct ResolutionRecord: Equatable {
    var agentID: String
    var conversationID: String
    var offerID: String
    var customerID: String
    var state: String
    var outcome: String?
    var surgeBasisPoints: Int
    var vip: Bool
    var complexity: String
    /// Nil when the customer has no row (the escalation worker then used its default market).
    var market: String?

    static func load(assignmentID: String, in transaction: PostgresTransaction) throws -> ResolutionRecord? {
        guard
            let row = try transaction.query(
                """
                SELECT a.agent_id, a.conversation_id, a.offer_id, a.customer_id, a.state, a.outcome, a.surge_bp, e.vip,
                       e.complexity, c.market
                FROM assignments a JOIN escalations e ON e.escalation_id = a.escalation_id
                LEFT JOIN customers c ON c.customer_id = a.customer_id
                WHERE a.assignment_id = $1
                """,
                [assignmentID]
            ).first
        else { return nil }
        return ResolutionRecord(
            agentID: try row.decode(String.self, named: "agent_id"),
            conversationID: try row.decode(String.self, named: "conversation_id"),
            offerID: try row.decode(String.self, named: "offer_id"),
            customerID: try row.decode(String.self, named: "customer_id"),
            state: try row.decode(String.self, named: "state"), outcome: try row.decode(String?.self, named: "outcome"),
            surgeBasisPoints: try row.decode(Int.self, named: "surge_bp"), vip: try row.decode(Bool.self, named: "vip"),
            complexity: try row.decode(String.self, named: "complexity"),
            market: try row.decode(String?.self, named: "market")
        )
    }

    /// The event's fields that disagree with the record, as `field: stated ≠ recorded` (ids, codes and numbers only:
    /// safe for a dead-letter detail).
    func contradictions(of event: ConversationResolvedV1) -> [String] {
        var found: [String] = []
        func check(_ field: String, _ stated: String, _ recorded: String?) {
            if stated != recorded { found.append("\(field): \(stated) ≠ \(recorded ?? "none")") }
        }
        check("agent_id", event.agentID, self.agentID)
        check("conversation_id", event.conversationID, self.conversationID)
        check("offer_id", event.offerID, self.offerID)
        check("customer_id", event.customerID, self.customerID)
        check("state", "resolved", self.state)
        check("outcome", event.outcome, self.outcome)
        check("surge_bp", "\(event.surgeMultiplierBasisPoints)", "\(self.surgeBasisPoints)")
        check("vip", "\(event.vip)", "\(self.vip)")
        check("complexity", event.complexity, self.complexity)
        if let market = self.market { check("market", event.market.uppercased(), market.uppercased()) }
        return found
    }

    /// Throws the dead-letter refusal for an event the escalation worker's records do not support.
    static func verify(_ event: ConversationResolvedV1, in transaction: PostgresTransaction) throws {
        guard let record = try self.load(assignmentID: event.assignmentID, in: transaction) else {
            throw HandlerError.rejected(
                .unknownAssignment, "no assignment \(event.assignmentID) in the escalation records")
        }
        let contradictions = record.contradictions(of: event)
        guard contradictions.isEmpty else {
            throw HandlerError.rejected(
                .eventMismatch, "assignment \(event.assignmentID): \(contradictions.joined(separator: "; "))"
            )
        }
    }
}
