public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation

/// Consumes `routed_inquiry.v1` from the human lane and maintains the waiting line.
///
/// - A conversation with an open escalation (waiting, on offer or assigned) gets the follow-up counted; a more
///   urgent follow-up raises its class (and tightens its SLA target), never lowers it.
/// - Otherwise a new escalation joins the line in its class (`ServiceClass`) with its SLA target. If the customer
///   comes back within `reopenWindowHours` of a resolution of the same conversation (or the same intent), that
///   assignment is marked reopened and `conversation.reopened.v1` goes to the payout worker.
/// - Unknown fields (such as an AI lane `handoff`) are ignored.
public struct EscalationHandler: WorkerHandler {
    public let settings: EscalationSettings
    let metrics = EscalationMetrics.shared

    public init(settings: EscalationSettings) {
        self.settings = settings
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> RoutedInquiryV1 {
        try ContractDecoder().decode(RoutedInquiryV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<RoutedInquiryV1>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        var outgoing: [OutgoingMessage] = []
        for accepted in batch {
            outgoing += try self.apply(accepted.input, in: transaction)
        }
        return outgoing
    }

    func apply(_ routed: RoutedInquiryV1, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        let inquiry = routed.inquiry
        let decision = routed.decision
        let conversationID = inquiry.conversation
        let serviceClass = ServiceClass(priority: decision.priority, vip: decision.vip)
        let target = self.settings.sla.target(for: serviceClass)

        if try self.followUp(conversationID: conversationID, serviceClass: serviceClass, priority: decision.priority, vip: decision.vip, target: target, in: transaction) {
            return []
        }

        var outgoing: [OutgoingMessage] = []
        var reopenedFrom: String?
        // One round trip: a recently resolved assignment this inquiry reopens, and the customer's market.
        let reads = try transaction.queries([
            PostgresStatement(
                """
                SELECT a.assignment_id, a.agent_id, a.conversation_id FROM assignments a JOIN escalations e USING (escalation_id)
                WHERE a.state = 'resolved' AND a.outcome = 'resolved' AND a.reopened_at IS NULL
                  AND a.resolved_at > now() - make_interval(hours => $3)
                  AND (a.conversation_id = $1 OR (a.customer_id = $2 AND $4::text IS NOT NULL AND e.intent = $4::text))
                ORDER BY (a.conversation_id = $1) DESC, a.resolved_at DESC
                LIMIT 1
                FOR UPDATE OF a
                """,
                [conversationID, inquiry.customerID, self.settings.reopenWindowHours, decision.intent]
            ),
            PostgresStatement("SELECT market FROM customers WHERE customer_id = $1", [inquiry.customerID]),
        ])
        let reopened = reads[0]
        let market = try reads[1].first.map { try $0.decode(String.self, at: 0) } ?? self.settings.defaultMarket
        if let row = reopened.first {
            let assignmentID = try row.decode(String.self, at: 0)
            let at = try transaction.query(
                "UPDATE assignments SET reopened_at = now(), reopened_by = $2 WHERE assignment_id = $1 RETURNING reopened_at",
                [assignmentID, inquiry.messageID]
            )[0].decode(Date.self, at: 0)
            let message = ConversationReopenedV1(
                messageID: "\(assignmentID).reopened", conversationID: try row.decode(String.self, at: 2),
                assignmentID: assignmentID, agentID: try row.decode(String.self, at: 1), reopenedAt: Timestamps.format(at)
            )
            outgoing.append(
                OutgoingMessage(message, id: message.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey, mandatory: true)
            )
            reopenedFrom = assignmentID
            self.metrics.reopened.increment()
        }

        let complexity = ["routine", "complex", "sensitive"].contains(decision.complexity) ? decision.complexity : "complex"
        let inserted = try transaction.execute(
            """
            INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, intent, priority,
                                     vip, service_class, class_rank, complexity, reasons, state, reopened_from, sla_due_at)
            VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11, $12, $13::text[], 'waiting', $14,
                    now() + make_interval(secs => $15))
            ON CONFLICT DO NOTHING
            """,
            [
                inquiry.messageID, conversationID, inquiry.customerID, market, decision.language, decision.skills.sorted(),
                decision.intent, decision.priority.rawValue, decision.vip, serviceClass.rawValue, serviceClass.rank, complexity,
                decision.reasons, reopenedFrom, target,
            ]
        )
        if inserted == 0 {
            // Another worker opened an escalation for this conversation meanwhile: this is a follow-up after all.
            _ = try self.followUp(conversationID: conversationID, serviceClass: serviceClass, priority: decision.priority, vip: decision.vip, target: target, in: transaction)
            return outgoing
        }
        // Enqueued: goes out with the next statement or the COMMIT.
        transaction.enqueue(
            """
            INSERT INTO conversations (conversation_id, customer_id, status) VALUES ($1, $2, 'waiting')
            ON CONFLICT (conversation_id) DO UPDATE SET status = 'waiting', assigned_agent_id = NULL, updated_at = now()
            """,
            [conversationID, inquiry.customerID]
        )
        self.metrics.escalations[serviceClass]?.increment()
        return outgoing
    }

    /// Counts a follow-up on the conversation's open escalation, raising its class if this one is more urgent.
    private func followUp(
        conversationID: String, serviceClass: ServiceClass, priority: Priority, vip: Bool, target: Int,
        in transaction: PostgresTransaction
    ) throws -> Bool {
        try transaction.execute(
            """
            UPDATE escalations SET messages = messages + 1,
                   service_class = CASE WHEN $2 > class_rank THEN $3 ELSE service_class END,
                   priority = CASE WHEN $2 > class_rank THEN $4 ELSE priority END,
                   vip = vip OR $5,
                   sla_due_at = CASE WHEN $2 > class_rank THEN least(sla_due_at, enqueued_at + make_interval(secs => $6)) ELSE sla_due_at END,
                   class_rank = greatest(class_rank, $2)
            WHERE conversation_id = $1 AND state <> 'resolved'
            """,
            [conversationID, serviceClass.rank, serviceClass.rawValue, priority.rawValue, vip, target]
        ) > 0
    }
}
