public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import Metrics

/// Consumes the agent events queue: presence, offer answers, agents' messages, resolutions, customer feedback and
/// applications.
///
/// - `online`/`heartbeat` mark the agent online and seen now (the dispatcher's heartbeat timeout uses the database
///   clock); `offline` also withdraws a pending offer.
/// - `accept` of a pending, unexpired offer by its agent assigns the conversation: the offer's reserved slot becomes
///   an active conversation, the escalation and `conversations` row become `assigned`. A late or repeated answer
///   changes nothing (counted as `late`). `decline` frees the slot and puts the conversation back in the line.
/// - `accept` also withdraws the other pending offers of the conversation (`agent_notice.v1` `taken`), sends the agent
///   the full context (`assignment.v1`) and tells the customer a person has the case (`conversation_update.v1`).
/// - `message` is stored, added to the transcript and sent to the customer's channel; it sets the first response
///   time. `resolve` ends the assignment, frees the slot, tells the customer (asking for a rating) and publishes
///   `conversation.resolved.v1` (with the surge of the accepted offer) to `payout.event`. `transfer` gives the
///   conversation back to the line (`AssignmentRelease`), optionally needing another skill.
/// - `feedback.v1` (once per conversation, from its customer, within the rating window after resolution) updates the
///   agent's rating and is forwarded to `payout.event` with the message id `<id>.payout`. `agent.applied.v1` runs `AgentEnrollment`.
///
/// An event naming an unknown agent, or an offer or conversation that is not that agent's, is rejected
/// (dead-lettered) with `unknown_agent`, `not_your_offer` or `not_assigned`.
public struct AgentEventHandler: WorkerHandler {
    public let settings: EscalationSettings
    let metrics: EscalationMetrics

    public init(settings: EscalationSettings, metrics: EscalationMetrics) {
        self.metrics = metrics
        self.settings = settings
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> AgentEventInput {
        let decoder = ContractDecoder()
        let schema = try decoder.schema(of: message.body)
        // Agent events only from the agent app's AMQP users (RabbitMQ validates user_id): a forged one is dead-lettered.
        try self.settings.agentEventSource.check(message, schema: schema)
        switch schema {
        case .agentEventV1: return .event(try AgentEvent(decoder.decode(AgentEventV1.self, from: message.body)))
        case .feedbackV1: return .feedback(try decoder.decode(FeedbackV1.self, from: message.body))
        case .agentAppliedV1: return .applied(try decoder.decode(AgentAppliedV1.self, from: message.body))
        case let other:
            throw ContractError(.unknownSchema, detail: "the agent events queue does not take \(other.rawValue)")
        }
    }

    public func apply(_ batch: [Accepted<AgentEventInput>], in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
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

    func apply(_ event: AgentEvent, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        switch event.action {
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
                RETURNING pending_offer_id, now() AS now
                """,
                [event.agentID]
            )
            try self.requireAgent(rows.count, event.agentID)
            try PresenceLog.wentOffline(agentIDs: [event.agentID], in: transaction)
            if let offerID = try rows[0].decode(String?.self, named: "pending_offer_id"),
                let released = try OfferRelease.release(
                    offerID: offerID, as: "withdrawn", reason: "offline", in: transaction)
            {
                self.metrics.after(transaction) { $0.offer(.withdrawn) }
                return [
                    OfferRelease.notice(released, reason: "offline", at: try rows[0].decode(Date.self, named: "now"))
                ]
            }
            return []
        case .accept(let offerID):
            return try self.accept(offerID: offerID, agentID: event.agentID, in: transaction)
        case .decline(let offerID, let reason):
            guard let offer = try self.lockOffer(offerID, agentID: event.agentID, in: transaction) else { return [] }
            guard offer.pending else {
                self.metrics.after(transaction) { $0.offer(.late) }
                return []
            }
            _ = try OfferRelease.release(offerID: offerID, as: "declined", reason: reason, in: transaction)
            self.metrics.after(transaction) { $0.offer(.declined) }
            return []
        case .message(let conversationID, let text):
            return try self.message(event, conversationID: conversationID, text: text, in: transaction)
        case .resolve(let conversationID, let outcome):
            return try self.resolve(
                conversationID: conversationID, agentID: event.agentID, outcome: outcome, in: transaction)
        case .transfer(let conversationID, let skill, let note):
            try self.requireAssignment(
                conversationID: conversationID, agentID: event.agentID, includingResolved: false, in: transaction)
            guard
                let (_, outgoing) = try AssignmentRelease.release(
                    conversationID: conversationID, agentID: event.agentID,
                    reason: skill == nil ? "handed_back" : "transferred", skill: skill, note: note,
                    in: transaction
                )
            else { return [] }
            self.metrics.after(transaction) { $0.reassigned(skill == nil ? .handedBack : .transferred) }
            return outgoing
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
    private func lockOffer(_ offerID: String, agentID: String, in transaction: PostgresTransaction) throws
        -> LockedOffer?
    {
        guard
            let row = try transaction.query(
                """
                SELECT escalation_id, agent_id, state = 'pending' AND expires_at > now() AS pending, surge_bp,
                       extract(epoch FROM now() - offered_at)::float8 AS offered_seconds
                FROM offers WHERE offer_id = $1 FOR UPDATE
                """,
                [offerID]
            ).first
        else {
            throw HandlerError.rejected(.unknownOffer, "offer \(offerID) does not exist")
        }
        guard try row.decode(String.self, named: "agent_id") == agentID else {
            throw HandlerError.rejected(.notYourOffer, "offer \(offerID) was made to another agent")
        }
        return LockedOffer(
            escalationID: try row.decode(String.self, named: "escalation_id"),
            pending: try row.decode(Bool.self, named: "pending"),
            surge: try row.decode(Int.self, named: "surge_bp"),
            offeredSeconds: try row.decode(Double.self, named: "offered_seconds")
        )
    }

    /// The first accept wins: the conversation is assigned, every other pending offer of it is withdrawn (`taken`),
    /// the agent receives the full context (`assignment.v1`) and the customer is told a person has the case.
    private func accept(offerID: String, agentID: String, in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
        guard let offer = try self.lockOffer(offerID, agentID: agentID, in: transaction) else { return [] }
        guard offer.pending else {
            self.metrics.after(transaction) { $0.offer(.late) }
            return []
        }
        try transaction.execute(
            "UPDATE offers SET state = 'accepted', responded_at = now() WHERE offer_id = $1", [offerID])
        let escalation = try transaction.query(
            """
            UPDATE escalations SET state = 'assigned', assigned_at = now(), sla_breached = sla_breached OR now() > sla_due_at,
                   assignments_made = assignments_made + 1, front_of_line = false
            WHERE escalation_id = $1 AND state = 'offered'
            RETURNING conversation_id, customer_id, extract(epoch FROM now() - enqueued_at)::float8 AS waited_seconds, assignments_made,
                      channel, language, now() AS now
            """,
            [offer.escalationID]
        )
        guard let row = escalation.first else {
            throw HandlerError.rejected(.inconsistentOffer, "escalation of pending offer \(offerID) is not on offer")
        }
        let conversationID = try row.decode(String.self, named: "conversation_id")
        let customerID = try row.decode(String.self, named: "customer_id")
        let ordinal = try row.decode(Int.self, named: "assignments_made")
        let channel = try row.decode(String.self, named: "channel")
        let language = try row.decode(String.self, named: "language")
        let now = try row.decode(Date.self, named: "now")
        // The pending offer held one slot; it becomes an active conversation. The CHECK constraint guards capacity.
        let agents = try transaction.query(
            """
            UPDATE agents a SET pending_offer_id = NULL, active_conversations = active_conversations + 1,
                   assignments_total = assignments_total + 1, updated_at = now()
            WHERE agent_id = $1 AND pending_offer_id = $2
            RETURNING coalesce(a.display_name, (SELECT display_name FROM customers c WHERE c.customer_id = a.customer_id), a.agent_id)
                      AS name
            """,
            [agentID, offerID]
        )
        guard let agent = agents.first else {
            throw HandlerError.rejected(.inconsistentOffer, "agent \(agentID) does not hold offer \(offerID)")
        }
        let agentName = AssignmentContext.firstName(try agent.decode(String.self, named: "name"))
        // The first assignment keeps the historical id; a conversation assigned again (after a release) gets `.<n>`.
        let assignmentID =
            ordinal == 1 ? "\(offer.escalationID).assignment" : "\(offer.escalationID).assignment.\(ordinal)"
        try transaction.execute(
            """
            INSERT INTO assignments (assignment_id, escalation_id, offer_id, conversation_id, agent_id, customer_id, state, surge_bp,
                                     last_customer_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, now())
            """,
            [assignmentID, offer.escalationID, offerID, conversationID, agentID, customerID, offer.surge]
        )
        try transaction.execute(
            """
            INSERT INTO conversations (conversation_id, customer_id, status, assigned_agent_id) VALUES ($1, $2, 'assigned', $3)
            ON CONFLICT (conversation_id) DO UPDATE SET status = 'assigned', assigned_agent_id = $3, updated_at = now()
            """,
            [conversationID, customerID, agentID]
        )
        var outgoing: [OutgoingMessage] = []
        // Several agents may have been offered it (VIP, urgent): the others' offers are withdrawn.
        for other in try transaction.query(
            "SELECT offer_id FROM offers WHERE escalation_id = $1 AND state = 'pending' ORDER BY offer_id FOR UPDATE",
            [offer.escalationID]
        ) {
            if let released = try OfferRelease.release(
                offerID: try other.decode(String.self, named: "offer_id"), as: "withdrawn", reason: "taken",
                in: transaction)
            {
                self.metrics.after(transaction) { $0.offer(.withdrawn) }
                outgoing.append(OfferRelease.notice(released, reason: "taken", at: now))
            }
        }
        var lines = TranscriptLines()
        lines.append(
            conversationID: conversationID, customerID: customerID, messageID: "\(assignmentID).assigned",
            author: .system,
            authorID: "escalation", kind: "assigned", text: "assigned to \(agentName) (\(agentID))"
        )
        try lines.write(in: transaction)
        let context = try AssignmentContext.build(
            assignmentID: assignmentID, escalationID: offer.escalationID, agentID: agentID, assignedAt: now,
            in: transaction
        )
        outgoing.append(
            OutgoingMessage(
                context, id: context.messageID, exchange: FleetNames.outcomesExchange,
                routingKey: AssignmentV1.routingKey(agentID: agentID), mandatory: false)
        )
        let update = ConversationUpdateV1(
            messageID: "\(assignmentID).assigned", conversationID: conversationID, customerID: customerID,
            channel: channel,
            language: language, kind: .assigned, text: CustomerPhrases(code: language).assigned(agentName: agentName),
            agentName: agentName, sentAt: Timestamps.format(now)
        )
        outgoing.append(
            OutgoingMessage(
                update, id: update.messageID, exchange: FleetNames.outcomesExchange, routingKey: update.routingKey,
                mandatory: false))
        self.metrics.after(transaction) { $0.offer(.accepted) }
        self.metrics.after(transaction) {
            $0.timeToAccept.recordNanoseconds(EscalationMetrics.nanoseconds(offer.offeredSeconds))
        }
        let assignmentSeconds = try row.decode(Double.self, named: "waited_seconds")
        self.metrics.after(transaction) {
            $0.timeToAssignment.recordNanoseconds(EscalationMetrics.nanoseconds(assignmentSeconds))
        }
        return outgoing
    }

    /// The agent's message: in the transcript, and to the customer's channel (`conversation_update.v1`
    /// `agent_message`), once.
    private func message(
        _ event: AgentEvent, conversationID: String, text: String, in transaction: PostgresTransaction
    ) throws -> [OutgoingMessage] {
        try self.requireAssignment(
            conversationID: conversationID, agentID: event.agentID, includingResolved: true, in: transaction)
        let inserted = try transaction.execute(
            """
            INSERT INTO agent_messages (message_id, conversation_id, agent_id, text, sent_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """,
            [event.messageID, conversationID, event.agentID, text, event.sentAt]
        )
        guard inserted > 0 else { return [] }
        let reads = try transaction.queries([
            PostgresStatement(
                """
                UPDATE escalations SET first_response_at = coalesce(first_response_at, now())
                WHERE escalation_id = (SELECT escalation_id FROM assignments WHERE conversation_id = $1 AND agent_id = $2
                                       ORDER BY assigned_at DESC LIMIT 1)
                RETURNING customer_id, channel, language,
                          extract(epoch FROM now() - coalesce(assigned_at, now()))::float8 AS since_assigned_seconds,
                          first_response_at = now() AS first_response, now() AS now
                """,
                [conversationID, event.agentID]
            ),
            PostgresStatement(
                """
                UPDATE assignments SET last_agent_at = now(), nudged_at = NULL WHERE conversation_id = $1 AND agent_id = $2 AND state = 'active'
                """,
                [conversationID, event.agentID]
            ),
            Self.agentName(event.agentID),
        ])
        let row = try reads[0].single()
        let customerID = try row.decode(String.self, named: "customer_id")
        if try row.decode(Bool.self, named: "first_response") {
            let firstMessageSeconds = try row.decode(Double.self, named: "since_assigned_seconds")
            self.metrics.after(transaction) {
                $0.timeToFirstAgentMessage.recordNanoseconds(EscalationMetrics.nanoseconds(firstMessageSeconds))
            }
        }
        let agentName = AssignmentContext.firstName(try reads[2].single().decode(String.self, named: "name"))
        var lines = TranscriptLines()
        lines.append(
            conversationID: conversationID, customerID: customerID, messageID: event.messageID, author: .agent,
            authorID: event.agentID, kind: "message", text: text
        )
        lines.enqueue(in: transaction)
        let update = ConversationUpdateV1(
            messageID: "\(event.messageID).customer", conversationID: conversationID, customerID: customerID,
            channel: try row.decode(String.self, named: "channel"),
            language: try row.decode(String.self, named: "language"),
            kind: .agentMessage, text: text, agentName: agentName,
            sentAt: Timestamps.format(try row.decode(Date.self, named: "now"))
        )
        return [
            OutgoingMessage(
                update, id: update.messageID, exchange: FleetNames.outcomesExchange, routingKey: update.routingKey,
                mandatory: false)
        ]
    }

    private func resolve(
        conversationID: String, agentID: String, outcome: AgentEvent.Outcome, in transaction: PostgresTransaction
    ) throws -> [OutgoingMessage] {
        let rows = try transaction.query(
            """
            UPDATE assignments SET state = 'resolved', outcome = $3, resolved_at = now()
            WHERE conversation_id = $1 AND agent_id = $2 AND state = 'active'
            RETURNING assignment_id, escalation_id, offer_id, customer_id, surge_bp, resolved_at
            """,
            [conversationID, agentID, outcome.rawValue]
        )
        guard let row = rows.first else {
            // A second resolve of the same assignment (a different message id) is harmless; anything else is not.
            try self.requireAssignment(
                conversationID: conversationID, agentID: agentID, includingResolved: true, in: transaction)
            return []
        }
        let assignmentID = try row.decode(String.self, named: "assignment_id")
        let escalationID = try row.decode(String.self, named: "escalation_id")
        let customerID = try row.decode(String.self, named: "customer_id")
        let resolvedAt = try row.decode(Date.self, named: "resolved_at")
        let reads = try transaction.queries([
            PostgresStatement(
                "UPDATE agents SET active_conversations = active_conversations - 1, updated_at = now() WHERE agent_id = $1",
                [agentID]
            ),
            PostgresStatement(
                """
                UPDATE escalations SET state = 'resolved', resolved_at = now() WHERE escalation_id = $1
                RETURNING complexity, vip, channel, language
                """,
                [escalationID]
            ),
            PostgresStatement(
                "UPDATE conversations SET status = 'resolved', updated_at = now() WHERE conversation_id = $1 AND assigned_agent_id = $2",
                [conversationID, agentID]
            ),
            PostgresStatement("SELECT market FROM customers WHERE customer_id = $1", [customerID]),
            Self.agentName(agentID),
        ])
        let escalation = try reads[1].single()
        let market =
            try reads[3].first.map { try $0.decode(String.self, named: "market") } ?? self.settings.defaultMarket
        let agentName = AssignmentContext.firstName(try reads[4].single().decode(String.self, named: "name"))
        let resolved = ConversationResolvedV1(
            messageID: "\(assignmentID).resolved", conversationID: conversationID, assignmentID: assignmentID,
            offerID: try row.decode(String.self, named: "offer_id"), agentID: agentID, customerID: customerID,
            outcome: outcome.rawValue,
            complexity: try escalation.decode(String.self, named: "complexity"),
            vip: try escalation.decode(Bool.self, named: "vip"),
            surgeMultiplierBasisPoints: try row.decode(Int.self, named: "surge_bp"), market: market,
            resolvedAt: Timestamps.format(resolvedAt)
        )
        var lines = TranscriptLines()
        lines.append(
            conversationID: conversationID, customerID: customerID, messageID: "\(assignmentID).resolved",
            author: .system,
            authorID: agentID, kind: "resolved", text: "\(outcome.rawValue) by \(agentName) (\(agentID))"
        )
        lines.enqueue(in: transaction)
        let language = try escalation.decode(String.self, named: "language")
        let update = ConversationUpdateV1(
            messageID: "\(assignmentID).resolved.customer", conversationID: conversationID, customerID: customerID,
            channel: try escalation.decode(String.self, named: "channel"), language: language, kind: .resolved,
            text: CustomerPhrases(code: language).resolved(agentName: agentName), agentName: agentName,
            ratingRequested: true,
            sentAt: Timestamps.format(resolvedAt)
        )
        self.metrics.after(transaction) { $0.resolved[outcome]?.increment() }
        return [
            OutgoingMessage(
                resolved, id: resolved.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey,
                mandatory: true),
            OutgoingMessage(
                update, id: update.messageID, exchange: FleetNames.outcomesExchange, routingKey: update.routingKey,
                mandatory: false),
        ]
    }

    // MARK: Feedback

    /// A rating counts once per conversation, from that conversation's customer, for the agent who resolved it,
    /// within `ratingWindowHours` of the resolution; anything else is refused with a precise reason.
    func apply(_ feedback: FeedbackV1, in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        guard
            let row = try transaction.query(
                """
                SELECT customer_id, state, resolved_at > now() - make_interval(hours => $3) AS within_window,
                       EXISTS (SELECT 1 FROM agent_feedback f WHERE f.conversation_id = $1) AS rated
                FROM assignments WHERE conversation_id = $1 AND agent_id = $2
                ORDER BY assigned_at DESC LIMIT 1
                FOR UPDATE
                """,
                [feedback.conversationID, feedback.agentID, self.settings.ratingWindowHours]
            ).first
        else {
            throw HandlerError.rejected(
                .notAssigned, "conversation \(feedback.conversationID) was not handled by agent \(feedback.agentID)")
        }
        guard try row.decode(String.self, named: "customer_id") == feedback.customerID else {
            throw HandlerError.rejected(
                .notYourConversation, "the rating's customer is not the conversation's customer")
        }
        guard try row.decode(String.self, named: "state") == "resolved" else {
            throw HandlerError.rejected(.notResolved, "conversation \(feedback.conversationID) is not resolved")
        }
        guard try row.decode(Bool?.self, named: "within_window") == true else {
            throw HandlerError.rejected(
                .ratingWindowClosed,
                "ratings are accepted for \(self.settings.ratingWindowHours) hours after the resolution")
        }
        guard try !row.decode(Bool.self, named: "rated") else {
            throw HandlerError.rejected(.alreadyRated, "conversation \(feedback.conversationID) was rated already")
        }
        try transaction.execute(
            """
            INSERT INTO agent_feedback (message_id, conversation_id, agent_id, customer_id, csat, submitted_at)
            VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
            """,
            [
                feedback.messageID, feedback.conversationID, feedback.agentID, feedback.customerID, feedback.csat,
                feedback.submittedAt,
            ]
        )
        try transaction.execute(
            "UPDATE agents SET rating_sum = rating_sum + $2, rating_count = rating_count + 1, updated_at = now() WHERE agent_id = $1",
            [feedback.agentID, feedback.csat]
        )
        var lines = TranscriptLines()
        lines.append(
            conversationID: feedback.conversationID, customerID: feedback.customerID, messageID: feedback.messageID,
            author: .customer, authorID: feedback.customerID, kind: "rated", text: "rated \(feedback.csat) of 5"
        )
        lines.enqueue(in: transaction)
        var forwarded = feedback
        forwarded.messageID = "\(feedback.messageID).payout"
        return [
            OutgoingMessage(
                forwarded, id: forwarded.messageID, exchange: FleetNames.workExchange, routingKey: FleetNames.payoutKey,
                mandatory: true)
        ]
    }

    /// The agent's name as the customer sees it (staff: their display name; gig agents: their customer name).
    private static func agentName(_ agentID: String) -> PostgresStatement {
        PostgresStatement(
            """
            SELECT coalesce(a.display_name, (SELECT display_name FROM customers c WHERE c.customer_id = a.customer_id), a.agent_id) AS name
            FROM agents a WHERE agent_id = $1
            """,
            [agentID]
        )
    }

    // MARK: Checks

    private func requireAgent(_ updated: Int, _ agentID: String) throws {
        guard updated > 0 else { throw HandlerError.rejected(.unknownAgent, "no agent \(agentID)") }
    }

    private func requireAssignment(
        conversationID: String, agentID: String, includingResolved: Bool, in transaction: PostgresTransaction
    ) throws {
        let rows = try transaction.query(
            "SELECT 1 FROM assignments WHERE conversation_id = $1 AND agent_id = $2 AND (state = 'active' OR ($3 AND state = 'resolved')) LIMIT 1",
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
            throw HandlerError.rejected(
                .notAssigned, "conversation \(conversationID) is not assigned to agent \(agentID)")
        }
    }
}
