public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import Metrics

/// Consumes `routed_inquiry.v1` from the human lane and maintains the waiting line.
///
/// - A conversation with an open escalation (waiting, on offer or assigned) gets the follow-up counted; a more
///   urgent follow-up raises its class (and tightens its SLA target), never lowers it. In an assigned conversation
///   the message goes to the agent who holds it (`customer_message.v1` on `conversation.agent.<agent_id>`, once,
///   with its transcript `seq`).
/// - Otherwise a new escalation joins the line in its class (`ServiceClass`) with its SLA target, the summary an
///   agent needs (`HumanSummary`: for every human route, with the AI's facts when it handed over) and the preview
///   an offer shows. If the customer comes back within `reopenWindowHours` of a resolution of the same conversation
///   (or the same intent), that assignment is marked reopened and `conversation.reopened.v1` goes to the payout
///   worker.
public struct EscalationHandler: WorkerHandler {
    public let settings: EscalationSettings
    let metrics: EscalationMetrics

    public init(settings: EscalationSettings, metrics: EscalationMetrics) {
        self.metrics = metrics
        self.settings = settings
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> RoutedInquiryV1 {
        try ContractDecoder().decode(RoutedInquiryV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<RoutedInquiryV1>], in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
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

        // The customer's message in the transcript (the classifier normally wrote it already: then this adds nothing).
        var lines = TranscriptLines()
        lines.append(
            conversationID: conversationID, customerID: inquiry.customerID, messageID: inquiry.messageID,
            author: .customer,
            authorID: inquiry.customerID, kind: "message", text: inquiry.text
        )
        try lines.write(in: transaction)

        if let followUp = try self.followUp(routed, serviceClass: serviceClass, target: target, in: transaction) {
            return followUp
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
        let market =
            try reads[1].first.map { try $0.decode(String.self, named: "market") } ?? self.settings.defaultMarket
        var transcript = TranscriptLines()
        if let row = reopened.first {
            let assignmentID = try row.decode(String.self, named: "assignment_id")
            let at = try transaction.query(
                "UPDATE assignments SET reopened_at = now(), reopened_by = $2 WHERE assignment_id = $1 RETURNING reopened_at",
                [assignmentID, inquiry.messageID]
            ).single().decode(Date.self, named: "reopened_at")
            let message = ConversationReopenedV1(
                messageID: "\(assignmentID).reopened",
                conversationID: try row.decode(String.self, named: "conversation_id"),
                assignmentID: assignmentID, agentID: try row.decode(String.self, named: "agent_id"),
                reopenedAt: Timestamps.format(at)
            )
            outgoing.append(
                OutgoingMessage(
                    message, id: message.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey,
                    mandatory: true)
            )
            transcript.append(
                conversationID: conversationID, customerID: inquiry.customerID,
                messageID: "\(inquiry.messageID).reopened",
                author: .system, authorID: "escalation", kind: "reopened", text: "reopens \(assignmentID)"
            )
            reopenedFrom = assignmentID
            self.metrics.after(transaction) { $0.reopened.increment() }
        }

        let summary = HumanSummary(routed: routed)
        let complexity =
            ["routine", "complex", "sensitive"].contains(decision.complexity) ? decision.complexity : "complex"
        let inserted = try transaction.execute(
            """
            INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, intent, priority,
                                     vip, service_class, class_rank, complexity, reasons, state, reopened_from, sla_due_at,
                                     channel, preview, summary, sentiment, handoff_reason, facts)
            VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11, $12, $13::text[], 'waiting', $14,
                    now() + make_interval(secs => $15), $16, $17, $18, $19, $20, $21::jsonb)
            ON CONFLICT DO NOTHING
            """,
            [
                inquiry.messageID, conversationID, inquiry.customerID, market, decision.language,
                decision.skills.sorted(),
                decision.intent, decision.priority.rawValue, decision.vip, serviceClass.rawValue, serviceClass.rank,
                complexity,
                decision.reasons, reopenedFrom, target, inquiry.channel, summary.preview, summary.text,
                summary.sentiment,
                summary.handoffReason, Self.factsJSON(routed.handoff?.facts ?? []),
            ]
        )
        if inserted == 0 {
            // Another worker opened an escalation for this conversation meanwhile: this is a follow-up after all.
            return try self.followUp(routed, serviceClass: serviceClass, target: target, in: transaction) ?? outgoing
        }
        // Enqueued: goes out with the next statement or the COMMIT.
        transaction.enqueue(
            """
            INSERT INTO conversations (conversation_id, customer_id, status, channel, human_since) VALUES ($1, $2, 'waiting', $3, now())
            ON CONFLICT (conversation_id) DO UPDATE SET status = 'waiting', assigned_agent_id = NULL, channel = $3,
                human_since = CASE WHEN conversations.status IN ('waiting', 'offered', 'assigned') THEN conversations.human_since ELSE now() END,
                pending_clarification = NULL, updated_at = now()
            """,
            [conversationID, inquiry.customerID, inquiry.channel]
        )
        transcript.append(
            conversationID: conversationID, customerID: inquiry.customerID, messageID: "\(inquiry.messageID).waiting",
            author: .system, authorID: "escalation", kind: "waiting",
            text: "in the line for a person (\(serviceClass.rawValue)): \(summary.text)"
        )
        transcript.enqueue(in: transaction)
        self.metrics.after(transaction) { $0.escalations[serviceClass]?.increment() }
        return outgoing
    }

    /// A follow-up in a conversation with an open escalation: counted, raising the class if this one is more urgent,
    /// and delivered to the agent when the conversation is assigned. Nil when there is no open escalation.
    private func followUp(
        _ routed: RoutedInquiryV1, serviceClass: ServiceClass, target: Int, in transaction: PostgresTransaction
    ) throws -> [OutgoingMessage]? {
        let inquiry = routed.inquiry
        let decision = routed.decision
        guard
            let row = try transaction.query(
                """
                UPDATE escalations SET messages = messages + 1,
                       service_class = CASE WHEN $2 > class_rank THEN $3 ELSE service_class END,
                       priority = CASE WHEN $2 > class_rank THEN $4 ELSE priority END,
                       vip = vip OR $5,
                       sla_due_at = CASE WHEN $2 > class_rank THEN least(sla_due_at, enqueued_at + make_interval(secs => $6)) ELSE sla_due_at END,
                       class_rank = greatest(class_rank, $2)
                WHERE conversation_id = $1 AND state <> 'resolved'
                RETURNING escalation_id, state
                """,
                [
                    inquiry.conversation, serviceClass.rank, serviceClass.rawValue, decision.priority.rawValue,
                    decision.vip, target,
                ]
            ).first
        else { return nil }
        guard try row.decode(String.self, named: "state") == "assigned" else { return [] }
        let assignment = try transaction.queries([
            PostgresStatement(
                """
                UPDATE assignments SET last_customer_at = now()
                WHERE conversation_id = $1 AND state = 'active'
                RETURNING assignment_id, agent_id
                """,
                [inquiry.conversation]
            ),
            PostgresStatement("SELECT seq FROM transcript_entries WHERE message_id = $1", [inquiry.messageID]),
        ])
        guard let active = assignment[0].first else { return [] }
        let message = CustomerMessageV1(
            inquiryID: inquiry.messageID, conversationID: inquiry.conversation,
            assignmentID: try active.decode(String.self, named: "assignment_id"),
            agentID: try active.decode(String.self, named: "agent_id"),
            seq: try assignment[1].single().decode(Int.self, named: "seq"),
            text: inquiry.text, sentAt: inquiry.sentAt
        )
        return [
            OutgoingMessage(
                message, id: message.messageID, exchange: FleetNames.outcomesExchange,
                routingKey: AssignmentV1.routingKey(agentID: message.agentID), mandatory: false
            )
        ]
    }

    /// The AI's facts as the `jsonb` array stored on the escalation.
    static func factsJSON(_ facts: [HandoffSummary.Fact]) -> String {
        var writer = JSONWriter(capacity: 64 + facts.count * 96)
        facts.write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
