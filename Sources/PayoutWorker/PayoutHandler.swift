public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Foundation

/// Applies resolutions, ratings and reopens to the payout ledger.
///
/// - `conversation.resolved.v1`: records the assignment once (a re-sent resolution with a new message id is a
///   no-op), prices it with the rate card in force for its market at `resolved_at` (base + VIP + surge) and posts it;
///   then applies any rating or reopen that arrived before it.
/// - `feedback.v1`: records the rating; a rating at or above the card's minimum pays the CSAT bonus on every
///   resolved assignment of that conversation by that agent (once per assignment). If the resolution has not
///   arrived yet, the rating waits in `payout_feedback` and is applied when it does.
/// - `conversation.reopened.v1`: records the reopen; within the card's window it claws back the resolution fee
///   (once per assignment), now or when the resolution arrives.
///
/// Events of one conversation are serialised with a transaction-level advisory lock, so a rating and its resolution
/// applied by two replicas at once cannot miss each other. Each earning is booked in the period of its event, or the
/// next open one when that period is closed (a late event). Nothing is published.
public struct PayoutHandler: WorkerHandler {
    public let book: RateCardBook
    public let ledger: PayoutLedger
    let metrics: PayoutMetrics

    /// The escalation worker's AMQP user: it alone publishes resolutions, ratings and reopens. The payout executable
    /// takes messages only from it (`payout.producers`, checked by the runtime before `decode`, see
    /// `WorkerSettings.acceptedProducers`).
    public static let defaultProducers = ["concierge-escalation"]

    /// `metrics`: the process's one instance (the worker makes it; a test may pass its own).
    public init(book: RateCardBook, cadence: PayCadence, metrics: PayoutMetrics = PayoutMetrics()) {
        self.metrics = metrics
        self.book = book
        self.ledger = PayoutLedger(cadence: cadence)
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> PayoutInput {
        try PayoutInput.decode(message.body)
    }

    public func apply(_ batch: [Accepted<PayoutInput>], in transaction: PostgresTransaction) throws -> [OutgoingMessage]
    {
        for conversation in Set(batch.map(\.input.conversationID)).sorted() {
            try transaction.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('payout:' || $1::text, 0))", [conversation])
        }
        try self.ledger.register(self.cards(for: batch), in: transaction)
        for accepted in batch {
            switch accepted.input {
            case .resolved(let event, let at): try self.apply(event, resolvedAt: at, in: transaction)
            case .feedback(let event, let at): try self.apply(event, submittedAt: at, in: transaction)
            case .reopened(let event, let at): try self.apply(event, reopenedAt: at, in: transaction)
            }
        }
        return []
    }

    /// The cards the batch's resolutions are priced with (rejecting a resolution no card covers).
    private func cards(for batch: [Accepted<PayoutInput>]) throws -> [RateCard] {
        var cards: [String: RateCard] = [:]
        for accepted in batch {
            guard case .resolved(let event, let at) = accepted.input else { continue }
            let card = try self.card(for: event, at: at)
            cards["\(card.version)\u{0}\(card.market)"] = card
        }
        return Array(cards.values)
    }

    private func card(for event: ConversationResolvedV1, at resolvedAt: Date) throws -> RateCard {
        guard let card = self.book.card(market: event.market, at: resolvedAt) else {
            throw HandlerError.rejected(
                .noRateCard, "no rate card for market \(event.market.uppercased()) at \(event.resolvedAt)")
        }
        return card
    }

    // MARK: Resolution

    func apply(_ event: ConversationResolvedV1, resolvedAt: Date, in transaction: PostgresTransaction) throws {
        let schema = MessageSchema.conversationResolvedV1
        // Pays what the escalation worker recorded, never what the event merely states.
        try ResolutionRecord.verify(event, in: transaction)
        let card = try self.card(for: event, at: resolvedAt)
        try self.ledger.ensureAgent(event.agentID, in: transaction)
        let inserted = try transaction.query(
            """
            INSERT INTO payout_assignments (assignment_id, conversation_id, offer_id, agent_id, outcome, complexity, vip,
                surge_bp, market, currency, rate_card_version, resolved_at, message_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (assignment_id) DO NOTHING RETURNING \(StoredAssignment.columns)
            """,
            [
                event.assignmentID, event.conversationID, event.offerID, event.agentID, event.outcome, event.complexity,
                event.vip, event.surgeMultiplierBasisPoints, card.market, card.currency.code, card.version, resolvedAt,
                event.messageID,
            ]
        )
        guard let row = inserted.first else {
            self.count(schema, .duplicate, in: transaction)
            return
        }
        self.count(schema, .applied, in: transaction)
        let assignment = try StoredAssignment(row: row)
        if let components = try PayoutPricing.resolutionEarning(assignment.resolution, card: card) {
            try self.post(
                assignment.record(kind: .resolution, components: components, source: event.messageID, at: resolvedAt),
                in: transaction)
        }
        // Ratings and reopens that overtook this resolution.
        if let rating = try transaction.query(
            """
            SELECT message_id, csat, submitted_at FROM payout_feedback
            WHERE conversation_id = $1 AND agent_id = $2 AND csat >= $3 ORDER BY submitted_at, message_id LIMIT 1
            """,
            [event.conversationID, event.agentID, card.csatMinimumScore]
        ).first {
            try self.payBonus(
                on: assignment, card: card, csat: try rating.decode(Int.self, named: "csat"),
                source: try rating.decode(String.self, named: "message_id"),
                at: try rating.decode(Date.self, named: "submitted_at"), in: transaction
            )
        }
        if let reopen = try transaction.query(
            """
            SELECT message_id, reopened_at FROM payout_reopens
            WHERE assignment_id = $1 AND reopened_at <= $2 ORDER BY reopened_at, message_id LIMIT 1
            """,
            [event.assignmentID, resolvedAt.addingTimeInterval(card.reopenWindow)]
        ).first {
            try self.clawBack(
                assignment, card: card, source: try reopen.decode(String.self, named: "message_id"),
                at: try reopen.decode(Date.self, named: "reopened_at"), in: transaction
            )
        }
    }

    // MARK: Feedback

    func apply(_ event: FeedbackV1, submittedAt: Date, in transaction: PostgresTransaction) throws {
        let schema = MessageSchema.feedbackV1
        let inserted = try transaction.execute(
            """
            INSERT INTO payout_feedback (message_id, conversation_id, agent_id, csat, submitted_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """,
            [event.messageID, event.conversationID, event.agentID, event.csat, submittedAt]
        )
        guard inserted == 1 else {
            self.count(schema, .duplicate, in: transaction)
            return
        }
        let assignments = try transaction.query(
            """
            SELECT \(StoredAssignment.columns) FROM payout_assignments
            WHERE conversation_id = $1 AND agent_id = $2 AND outcome = 'resolved' ORDER BY resolved_at, assignment_id
            """,
            [event.conversationID, event.agentID]
        ).map(StoredAssignment.init(row:))
        self.count(schema, assignments.isEmpty ? .waiting : .applied, in: transaction)
        for assignment in assignments {
            let card = try self.ledger.card(
                version: assignment.rateCardVersion, market: assignment.market, book: self.book, in: transaction)
            try self.payBonus(
                on: assignment, card: card, csat: event.csat, source: event.messageID, at: submittedAt, in: transaction)
        }
    }

    // MARK: Reopen

    func apply(_ event: ConversationReopenedV1, reopenedAt: Date, in transaction: PostgresTransaction) throws {
        let schema = MessageSchema.conversationReopenedV1
        let inserted = try transaction.execute(
            """
            INSERT INTO payout_reopens (message_id, conversation_id, assignment_id, agent_id, reopened_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """,
            [event.messageID, event.conversationID, event.assignmentID, event.agentID, reopenedAt]
        )
        guard inserted == 1 else {
            self.count(schema, .duplicate, in: transaction)
            return
        }
        guard
            let row = try transaction.query(
                "SELECT \(StoredAssignment.columns) FROM payout_assignments WHERE assignment_id = $1",
                [event.assignmentID]
            ).first
        else {
            self.count(schema, .waiting, in: transaction)
            return
        }
        self.count(schema, .applied, in: transaction)
        let assignment = try StoredAssignment(row: row)
        let card = try self.ledger.card(
            version: assignment.rateCardVersion, market: assignment.market, book: self.book, in: transaction)
        try self.clawBack(assignment, card: card, source: event.messageID, at: reopenedAt, in: transaction)
    }

    // MARK: Posting

    private func payBonus(
        on assignment: StoredAssignment, card: RateCard, csat: Int, source: String, at date: Date,
        in transaction: PostgresTransaction
    ) throws {
        guard let components = PayoutPricing.csatBonus(csat: csat, resolution: assignment.resolution, card: card) else {
            return
        }
        try self.post(
            assignment.record(kind: .csatBonus, components: components, csat: csat, source: source, at: date),
            in: transaction)
    }

    private func clawBack(
        _ assignment: StoredAssignment, card: RateCard, source: String, at date: Date,
        in transaction: PostgresTransaction
    ) throws {
        guard
            let components = try PayoutPricing.clawback(reopenedAt: date, resolution: assignment.resolution, card: card)
        else { return }
        try self.post(
            assignment.record(kind: .clawback, components: components, source: source, at: date), in: transaction)
    }

    /// Counts an event's outcome once the transaction commits (`apply` may run again; see `WorkerHandler`).
    private func count(
        _ schema: MessageSchema, _ outcome: PayoutMetrics.EventOutcome, in transaction: PostgresTransaction
    ) {
        let metrics = self.metrics
        transaction.afterCommit { metrics.event(schema, outcome) }
    }

    private func post(_ earning: EarningRecord, in transaction: PostgresTransaction) throws {
        if try self.ledger.post(earning, in: transaction) {
            let (metrics, kind) = (self.metrics, earning.kind)
            transaction.afterCommit { metrics.earning(kind) }
        }
    }
}
