import ConciergeCore
public import ConciergePostgres
public import Foundation

/// The payout tables' write side, used inside a caller's transaction (the worker's batch, a CLI command, a test).
///
/// Everything it writes is append-only (enforced by triggers) and unique per effect: an earning is keyed by
/// assignment and kind, a ledger transaction by its earning, so applying the same facts twice changes nothing.
public struct PayoutLedger: Sendable {
    /// The cadence new periods are created with (`payout.period`).
    public let cadence: PayCadence

    public init(cadence: PayCadence) {
        self.cadence = cadence
    }

    // MARK: Rate cards

    /// Stores the cards that are not stored yet (a version already stored is left alone; see ``verify(_:in:)``).
    public func register(_ cards: [RateCard], in transaction: PostgresTransaction) throws {
        guard !cards.isEmpty else { return }
        try transaction.execute(
            """
            INSERT INTO payout_rate_cards (version, market, currency, effective_from, definition)
            SELECT v, m, c, e, d::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(v, m, c, e, d)
            ON CONFLICT (version, market) DO NOTHING
            """,
            [
                cards.map(\.version), cards.map(\.market), cards.map(\.currency.code), cards.map(\.effectiveFrom),
                cards.map(\.definitionJSON),
            ]
        )
    }

    /// Stores the book's cards and checks that every version already stored is unchanged (versions are immutable).
    public func verify(_ book: RateCardBook, in transaction: PostgresTransaction) throws {
        try self.register(book.cards, in: transaction)
        let changed = try transaction.query(
            """
            SELECT r.version, r.market FROM payout_rate_cards r
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(v, m, d) ON r.version = u.v AND r.market = u.m
            WHERE r.definition <> u.d::jsonb ORDER BY 1, 2
            """,
            [book.cards.map(\.version), book.cards.map(\.market), book.cards.map(\.definitionJSON)]
        )
        if let row = changed.first {
            throw PayoutError(
                .rateCardChanged,
                "rate card \(try row.decode(String.self, named: "version"))/\(try row.decode(String.self, named: "market")) differs from the stored version; add a new version instead of editing a used one"
            )
        }
    }

    /// The card that priced an assignment: from the book, else from its stored definition.
    func card(version: String, market: String, book: RateCardBook, in transaction: PostgresTransaction) throws
        -> RateCard
    {
        if let card = book.card(version: version, market: market) { return card }
        guard
            let row = try transaction.query(
                "SELECT definition::text AS definition FROM payout_rate_cards WHERE version = $1 AND market = $2",
                [version, market]
            ).first
        else {
            throw PayoutError(.noRateCard, "rate card \(version)/\(market) is not stored")
        }
        return try RateCard(definitionJSON: try row.decode(String.self, named: "definition"))
    }

    // MARK: Periods

    /// The period an event at `date` is booked in: its own period if open, else the next open one (created on
    /// demand). Takes a share lock on that period so a concurrent close waits for this transaction.
    public func bookingPeriod(for date: Date, in transaction: PostgresTransaction) throws -> (
        event: PayPeriod, booked: PayPeriod
    ) {
        let event = PayPeriod.containing(date, cadence: self.cadence)
        var period = event
        for _ in 0..<1000 {
            try self.ensure(period, in: transaction)
            let status = try transaction.query(
                "SELECT status FROM payout_periods WHERE period_id = $1 FOR SHARE", [period.id]
            )
            guard let row = status.first else {
                throw PayoutError(.periodOverlap, "period \(period.id) overlaps a period of another cadence")
            }
            if try row.decode(String.self, named: "status") == "open" { return (event, period) }
            period = period.next
        }
        throw PayoutError(.invalidPeriod, "no open period within 1000 periods after \(event.id)")
    }

    /// Creates the period row if it does not exist.
    public func ensure(_ period: PayPeriod, in transaction: PostgresTransaction) throws {
        try transaction.execute(
            """
            INSERT INTO payout_periods (period_id, cadence, starts_at, ends_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING
            """,
            [period.id, period.cadence.rawValue, period.start, period.end]
        )
    }

    // MARK: Agents and earnings

    /// Records an agent id (display names are filled in later, when known).
    public func ensureAgent(_ agentID: String, in transaction: PostgresTransaction) throws {
        try transaction.execute("INSERT INTO payout_agents (agent_id) VALUES ($1) ON CONFLICT DO NOTHING", [agentID])
    }

    /// Books an earning and its balanced ledger transaction, unless that earning already exists. Returns whether it
    /// was new.
    @discardableResult
    public func post(_ earning: EarningRecord, in transaction: PostgresTransaction) throws -> Bool {
        let journal = try earning.journal()
        let (event, booked) = try self.bookingPeriod(for: earning.occurredAt, in: transaction)
        let c = earning.components
        let inserted = try transaction.query(
            """
            INSERT INTO payout_earnings (earning_id, assignment_id, kind, agent_id, conversation_id, offer_id, market,
                currency, rate_card_version, base_minor, vip_minor, surge_minor, csat_minor, clawback_minor, amount_minor,
                surge_bp, csat, source_message_id, occurred_at, event_period_id, period_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
            ON CONFLICT DO NOTHING RETURNING earning_id
            """,
            [
                earning.earningID, earning.assignmentID, earning.kind.rawValue, earning.agentID, earning.conversationID,
                earning.offerID, earning.market, c.currency.code, earning.rateCardVersion, c.base, c.vip, c.surge,
                c.csat,
                c.clawback, c.total.minorUnits, earning.surge.value, earning.csat, earning.sourceMessageID,
                earning.occurredAt, event.id, booked.id,
            ]
        )
        guard !inserted.isEmpty else { return false }
        let description =
            "\(earning.kind.rawValue) \(earning.assignmentID) (\(earning.rateCardVersion)/\(earning.market))"
        let transactionID = try transaction.query(
            """
            INSERT INTO ledger_transactions (kind, earning_id, period_id, description) VALUES ('earning', $1, $2, $3)
            RETURNING transaction_id
            """,
            [earning.earningID, booked.id, description]
        ).singleRow().decode(Int64.self, named: "transaction_id")
        try self.insertEntries(
            journal, transactionID: transactionID, agentID: earning.agentID, conversationID: earning.conversationID,
            assignmentID: earning.assignmentID, offerID: earning.offerID, rateCardVersion: earning.rateCardVersion,
            in: transaction
        )
        return true
    }

    /// Posts the reversal of ledger transaction `transactionID` (the correction mechanism: entries are never edited)
    /// into the period open at `date`, and returns the new transaction's id. A transaction is reversed at most once,
    /// and a reversal is not itself reversed.
    @discardableResult
    public func reverse(transactionID: Int64, reason: String, at date: Date, in transaction: PostgresTransaction) throws
        -> Int64
    {
        let original = try transaction.query(
            """
            SELECT t.kind, (SELECT count(*) FROM ledger_transactions r WHERE r.reverses_transaction_id = t.transaction_id) AS reversals
            FROM ledger_transactions t WHERE t.transaction_id = $1
            """,
            [transactionID]
        )
        guard let row = original.first else {
            throw PayoutError(.notReversible, "no ledger transaction \(transactionID)")
        }
        guard try row.decode(String.self, named: "kind") == "earning" else {
            throw PayoutError(.notReversible, "transaction \(transactionID) is a reversal")
        }
        guard try row.decode(Int.self, named: "reversals") == 0 else {
            throw PayoutError(.notReversible, "transaction \(transactionID) is already reversed")
        }
        let entries = try transaction.query(
            """
            SELECT account, side, amount_minor, currency, component, agent_id, conversation_id, assignment_id, offer_id,
                   rate_card_version
            FROM ledger_entries WHERE transaction_id = $1 ORDER BY entry_id
            """,
            [transactionID]
        )
        var postings: [LedgerPosting] = []
        var links: [(agent: String, conversation: String?, assignment: String?, offer: String?, version: String?)] = []
        for entry in entries {
            let currency = try Currency(code: try entry.decode(String.self, named: "currency"))
            postings.append(
                LedgerPosting(
                    account: LedgerAccount(try entry.decode(String.self, named: "account")),
                    side: LedgerSide(rawValue: try entry.decode(String.self, named: "side")) ?? .debit,
                    amount: Money(minorUnits: try entry.decode(Int64.self, named: "amount_minor"), currency: currency),
                    tag: try entry.decode(String.self, named: "component")
                )
            )
            links.append(
                (
                    try entry.decode(String.self, named: "agent_id"),
                    try entry.decode(String?.self, named: "conversation_id"),
                    try entry.decode(String?.self, named: "assignment_id"),
                    try entry.decode(String?.self, named: "offer_id"),
                    try entry.decode(String?.self, named: "rate_card_version")
                ))
        }
        let reversal = try JournalTransaction(postings: postings).reversal()
        let (_, booked) = try self.bookingPeriod(for: date, in: transaction)
        let reversalID = try transaction.query(
            """
            INSERT INTO ledger_transactions (kind, reverses_transaction_id, period_id, description)
            VALUES ('reversal', $1, $2, $3) RETURNING transaction_id
            """,
            [transactionID, booked.id, "reversal of \(transactionID): \(reason)"]
        ).singleRow().decode(Int64.self, named: "transaction_id")
        try transaction.execute(
            """
            INSERT INTO ledger_entries (transaction_id, account, side, amount_minor, currency, component, agent_id,
                conversation_id, assignment_id, offer_id, rate_card_version)
            SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
                                     $9::text[], $10::text[], $11::text[])
            """,
            [
                reversalID, reversal.postings.map(\.account.name), reversal.postings.map(\.side.rawValue),
                reversal.postings.map(\.amount.minorUnits), reversal.postings.map(\.amount.currency.code),
                reversal.postings.map { $0.tag ?? "base" }, links.map(\.agent), links.map(\.conversation),
                links.map(\.assignment), links.map(\.offer), links.map(\.version),
            ]
        )
        return reversalID
    }

    func insertEntries(
        _ journal: JournalTransaction, transactionID: Int64, agentID: String, conversationID: String?,
        assignmentID: String?, offerID: String?, rateCardVersion: String?, in transaction: PostgresTransaction
    ) throws {
        let postings = journal.postings
        try transaction.execute(
            """
            INSERT INTO ledger_entries (transaction_id, account, side, amount_minor, currency, component, agent_id,
                conversation_id, assignment_id, offer_id, rate_card_version)
            SELECT $1::bigint, u.*, $7::text, $8::text, $9::text, $10::text, $11::text
            FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS u
            """,
            [
                transactionID, postings.map(\.account.name), postings.map(\.side.rawValue),
                postings.map(\.amount.minorUnits),
                postings.map(\.amount.currency.code), postings.map { $0.tag ?? "base" }, agentID, conversationID,
                assignmentID, offerID, rateCardVersion,
            ]
        )
    }
}
