public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation

/// Consumes the agent events queue: presence, offer answers, agents' messages, resolutions, customer feedback and
/// applications.
///
/// - `online`/`heartbeat` mark the agent online and seen now (the dispatcher's heartbeat timeout uses the database
///   clock); `offline` also withdraws a pending offer.
/// - `accept` of a pending, unexpired offer by its agent assigns the conversation: the offer's reserved slot becomes
///   an active conversation, the escalation and `conversations` row become `assigned`. A late or repeated answer
///   changes nothing (counted as `late`). `decline` frees the slot and puts the conversation back in the line.
/// - `message` is stored and sets the first response time; `resolve` ends the assignment, frees the slot and
///   publishes `conversation.resolved.v1` (with the surge of the accepted offer) to `payout.event`.
/// - `feedback.v1` for an agent's assignment updates the agent's rating and is forwarded to `payout.event` with the
///   message id `<id>.payout`. `agent.applied.v1` runs `AgentEnrollment`.
///
/// An event naming an unknown agent, or an offer or conversation that is not that agent's, is rejected
/// (dead-lettered) with `unknown_agent`, `not_your_offer` or `not_assigned`.
public struct AgentEventHandler: WorkerHandler {
    public let settings: EscalationSettings
    let metrics = EscalationMetrics.shared

    public init(settings: EscalationSettings) {
        self.settings = settings
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> AgentEventInput {
        let decoder = ContractDecoder()
        switch try decoder.schema(of: message.body) {
        case .agentEventV1: return .event(try decoder.decode(AgentEventV1.self, from: message.body))
        case .feedbackV1: return .feedback(try decoder.decode(FeedbackV1.self, from: message.body))
        case .agentAppliedV1: return .applied(try decoder.decode(AgentAppliedV1.self, from: message.body))
        case let other:
            throw ContractError(.unknownSchema, detail: "the agent events queue does not take \(other.rawValue)")
        }
    }

    public func apply(_ batch: [Accepted<AgentEventInput>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        var outgoing: [OutgoingMessage] = []
        for accepted in batch {
            switch accepted.input {
            case .event(let event): outgoing += try self.apply(event, in: transaction)
            case .feedback(let feedback): outgoing += try self.apply(feedback, in: transaction)
            case .applied(let application):
                _ = try AgentEnrollment.enroll(application, rules: self.settings.eligibility, in: transaction)
            }
        }
        return outgoing
    }

    // MARK: Agent events

    func apply(_ event: AgentEventV1, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        switch event.event {
        case .online, .heartbeat:
            try self.requireAgent(
                transaction.execute(
                    "UPDATE agents SET presence = 'online', last_seen_at = now(), updated_at = now() WHERE agent_id = $1",
                    [event.agentID]
                ),
                event.agentID
            )
            try PresenceLog.cameOnline(agentID: event.agentID, in: transaction)
            return []
        case .offline:
            let rows = try transaction.query(
                """
                UPDATE agents SET presence = 'offline', last_seen_at = now(), updated_at = now() WHERE agent_id = $1
                RETURNING pending_offer_id
                """,
                [event.agentID]
            )
            try self.requireAgent(rows.count, event.agentID)
            try PresenceLog.wentOffline(agentIDs: [event.agentID], in: transaction)
            if let offerID = try rows[0].decode(String?.self, at: 0),
                try OfferRelease.release(offerID: offerID, as: "withdrawn", reason: "offline", in: transaction)
            {
                self.metrics.offer("withdrawn")
            }
            return []
        case .accept:
            try self.accept(offerID: event.offerID!, agentID: event.agentID, in: transaction)
            return []
        case .decline:
            guard let offer = try self.lockOffer(event.offerID!, agentID: event.agentID, in: transaction) else { return [] }
            guard offer.pending else {
                self.metrics.offer("late")
                return []
            }
            _ = try OfferRelease.release(offerID: event.offerID!, as: "declined", reason: event.reason, in: transaction)
            self.metrics.offer("declined")
            return []
        case .message:
            try self.requireAssignment(conversationID: event.conversationID!, agentID: event.agentID, includingResolved: true, in: transaction)
            let inserted = try transaction.execute(
                """
                INSERT INTO agent_messages (message_id, conversation_id, agent_id, text, sent_at)
                VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT DO NOTHING
                """,
                [event.messageID, event.conversationID!, event.agentID, event.text!, event.sentAt]
            )
            if inserted > 0 {
                try transaction.execute(
                    """
                    UPDATE escalations SET first_response_at = now()
                    WHERE conversation_id = $1 AND state = 'assigned' AND first_response_at IS NULL
                    """,
                    [event.conversationID!]
                )
            }
            return []
        case .resolve:
            return try self.resolve(conversationID: event.conversationID!, agentID: event.agentID, outcome: event.outcome!, in: transaction)
        }
    }

    private struct LockedOffer {
        var escalationID: String
        var pending: Bool
        var surge: Int
        var offeredSeconds: Double
    }

    /// Locks the offer; nil (and nothing to do) when it does not exist. Throws `not_your_offer` when it is someone
    /// else's.
    private func lockOffer(_ offerID: String, agentID: String, in transaction: PostgresTransaction) throws -> LockedOffer? {
        guard
            let row = try transaction.query(
                """
                SELECT escalation_id, agent_id, state = 'pending' AND expires_at > now(), surge_bp,
                       extract(epoch FROM now() - offered_at)::float8
                FROM offers WHERE offer_id = $1 FOR UPDATE
                """,
                [offerID]
            ).first
        else {
            throw HandlerError.rejected("unknown_offer", "offer \(offerID) does not exist")
        }
        guard try row.decode(String.self, at: 1) == agentID else {
            throw HandlerError.rejected("not_your_offer", "offer \(offerID) was made to another agent")
        }
        return LockedOffer(
            escalationID: try row.decode(String.self, at: 0), pending: try row.decode(Bool.self, at: 2),
            surge: try row.decode(Int.self, at: 3), offeredSeconds: try row.decode(Double.self, at: 4)
        )
    }

    private func accept(offerID: String, agentID: String, in transaction: PostgresTransaction) throws {
        guard let offer = try self.lockOffer(offerID, agentID: agentID, in: transaction) else { return }
        guard offer.pending else {
            self.metrics.offer("late")
            return
        }
        try transaction.execute("UPDATE offers SET state = 'accepted', responded_at = now() WHERE offer_id = $1", [offerID])
        let escalation = try transaction.query(
            """
            UPDATE escalations SET state = 'assigned', assigned_at = now(), sla_breached = sla_breached OR now() > sla_due_at
            WHERE escalation_id = $1 AND state = 'offered'
            RETURNING conversation_id, customer_id, extract(epoch FROM now() - enqueued_at)::float8, service_class,
                      now() > sla_due_at
            """,
            [offer.escalationID]
        )
        guard let row = escalation.first else {
            throw HandlerError.rejected("inconsistent_offer", "escalation of pending offer \(offerID) is not on offer")
        }
        let conversationID = try row.decode(String.self, at: 0)
        let customerID = try row.decode(String.self, at: 1)
        // The pending offer held one slot; it becomes an active conversation. The CHECK constraint guards capacity.
        let agents = try transaction.execute(
            """
            UPDATE agents SET pending_offer_id = NULL, active_conversations = active_conversations + 1,
                   assignments_total = assignments_total + 1, updated_at = now()
            WHERE agent_id = $1 AND pending_offer_id = $2
            """,
            [agentID, offerID]
        )
        guard agents == 1 else {
            throw HandlerError.rejected("inconsistent_offer", "agent \(agentID) does not hold offer \(offerID)")
        }
        try transaction.execute(
            """
            INSERT INTO assignments (assignment_id, escalation_id, offer_id, conversation_id, agent_id, customer_id, state, surge_bp)
            VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)
            """,
            ["\(offer.escalationID).assignment", offer.escalationID, offerID, conversationID, agentID, customerID, offer.surge]
        )
        try transaction.execute(
            """
            INSERT INTO conversations (conversation_id, customer_id, status, assigned_agent_id) VALUES ($1, $2, 'assigned', $3)
            ON CONFLICT (conversation_id) DO UPDATE SET status = 'assigned', assigned_agent_id = $3, updated_at = now()
            """,
            [conversationID, customerID, agentID]
        )
        self.metrics.offer("accepted")
        self.metrics.timeToAccept.recordNanoseconds(EscalationMetrics.nanoseconds(offer.offeredSeconds))
        self.metrics.timeToAssignment.recordNanoseconds(EscalationMetrics.nanoseconds(try row.decode(Double.self, at: 2)))
    }

    private func resolve(conversationID: String, agentID: String, outcome: String, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        let rows = try transaction.query(
            """
            UPDATE assignments SET state = 'resolved', outcome = $3, resolved_at = now()
            WHERE conversation_id = $1 AND agent_id = $2 AND state = 'active'
            RETURNING assignment_id, escalation_id, offer_id, customer_id, surge_bp, resolved_at
            """,
            [conversationID, agentID, outcome]
        )
        guard let row = rows.first else {
            // A second resolve of the same assignment (a different message id) is harmless; anything else is not.
            try self.requireAssignment(conversationID: conversationID, agentID: agentID, includingResolved: true, in: transaction)
            return []
        }
        let assignmentID = try row.decode(String.self, at: 0)
        let escalationID = try row.decode(String.self, at: 1)
        let customerID = try row.decode(String.self, at: 3)
        try transaction.execute(
            "UPDATE agents SET active_conversations = active_conversations - 1, updated_at = now() WHERE agent_id = $1",
            [agentID]
        )
        let escalation = try transaction.query(
            """
            UPDATE escalations SET state = 'resolved', resolved_at = now() WHERE escalation_id = $1
            RETURNING complexity, vip
            """,
            [escalationID]
        )[0]
        try transaction.execute(
            "UPDATE conversations SET status = 'resolved', updated_at = now() WHERE conversation_id = $1 AND assigned_agent_id = $2",
            [conversationID, agentID]
        )
        let market = try transaction.query("SELECT market FROM customers WHERE customer_id = $1", [customerID])
            .first.map { try $0.decode(String.self, at: 0) } ?? self.settings.defaultMarket
        let resolved = ConversationResolvedV1(
            messageID: "\(assignmentID).resolved", conversationID: conversationID, assignmentID: assignmentID,
            offerID: try row.decode(String.self, at: 2), agentID: agentID, customerID: customerID, outcome: outcome,
            complexity: try escalation.decode(String.self, at: 0), vip: try escalation.decode(Bool.self, at: 1),
            surgeMultiplierBasisPoints: try row.decode(Int.self, at: 4), market: market,
            resolvedAt: Timestamps.format(try row.decode(Date.self, at: 5))
        )
        self.metrics.resolved[outcome]?.increment()
        return [
            OutgoingMessage(resolved, id: resolved.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey, mandatory: true)
        ]
    }

    // MARK: Feedback

    func apply(_ feedback: FeedbackV1, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        try self.requireAssignment(conversationID: feedback.conversationID, agentID: feedback.agentID, includingResolved: true, in: transaction)
        let inserted = try transaction.execute(
            """
            INSERT INTO agent_feedback (message_id, conversation_id, agent_id, customer_id, csat, submitted_at)
            VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT DO NOTHING
            """,
            [feedback.messageID, feedback.conversationID, feedback.agentID, feedback.customerID, feedback.csat, feedback.submittedAt]
        )
        guard inserted > 0 else { return [] }
        try transaction.execute(
            "UPDATE agents SET rating_sum = rating_sum + $2, rating_count = rating_count + 1, updated_at = now() WHERE agent_id = $1",
            [feedback.agentID, feedback.csat]
        )
        var forwarded = feedback
        forwarded.messageID = "\(feedback.messageID).payout"
        return [
            OutgoingMessage(forwarded, id: forwarded.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey, mandatory: true)
        ]
    }

    // MARK: Checks

    private func requireAgent(_ updated: Int, _ agentID: String) throws {
        guard updated > 0 else { throw HandlerError.rejected("unknown_agent", "no agent \(agentID)") }
    }

    private func requireAssignment(conversationID: String, agentID: String, includingResolved: Bool, in transaction: PostgresTransaction) throws {
        let rows = try transaction.query(
            "SELECT 1 FROM assignments WHERE conversation_id = $1 AND agent_id = $2 AND ($3 OR state = 'active') LIMIT 1",
            [conversationID, agentID, includingResolved]
        )
        guard !rows.isEmpty else {
            // Events of one agent may be applied out of order by competing consumers: a message or resolve that
            // overtook the accept of a pending offer is retried, not refused.
            let accepting = try transaction.query(
                """
                SELECT 1 FROM offers o JOIN escalations e USING (escalation_id)
                WHERE e.conversation_id = $1 AND o.agent_id = $2 AND o.state = 'pending' LIMIT 1
                """,
                [conversationID, agentID]
            )
            if !accepting.isEmpty { throw EventOvertookAccept(conversationID: conversationID) }
            throw HandlerError.rejected("not_assigned", "conversation \(conversationID) is not assigned to agent \(agentID)")
        }
    }
}
