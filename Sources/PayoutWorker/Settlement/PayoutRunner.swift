import ConciergeCore
public import ConciergePostgres
public import Foundation

/// `payouts pay --period P`: turns closed statements into payment instructions.
///
/// Per agent and currency it takes every statement of a closed period ending no later than P that no live (pending
/// or paid) instruction covers — P's own, earlier carries, and statements whose payment failed or was returned —
/// and, if their sum reaches the currency's minimum and the agent has payout details, makes one instruction for
/// exactly that sum (posted payable → payments in transit); otherwise it records a carry and leaves the statements
/// for a later run. One run per period: running it again returns the existing run and creates nothing.
public struct PayoutRunner: Sendable {
    public let ledger: PayoutLedger
    public let settings: SettlementSettings

    public init(cadence: PayCadence, settings: SettlementSettings) {
        self.ledger = PayoutLedger(cadence: cadence)
        self.settings = settings
    }

    public func pay(_ period: PayPeriod, now: Date = Date(), in transaction: PostgresTransaction) throws -> PayoutRun {
        // One run at a time: two runs must not cover the same statement.
        try transaction.execute("SELECT pg_advisory_xact_lock(hashtextextended('payout:runs', 0))")
        guard
            let status = try transaction.query("SELECT status FROM payout_periods WHERE period_id = $1", [period.id])
                .first,
            try status.decode(String.self, named: "status") == "closed"
        else {
            throw PayoutError(
                .periodOpen,
                "period \(period.id) is not closed; close it first (conciergectl payouts close --period \(period.id))")
        }
        let runID = "run-\(period.id)"
        if try !transaction.query("SELECT 1 FROM payout_runs WHERE run_id = $1", [runID]).isEmpty {
            return try Self.load(runID: runID, in: transaction)
        }
        let minimums =
            "{"
            + self.settings.minimums.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(
                separator: ", ") + "}"
        try transaction.execute(
            "INSERT INTO payout_runs (run_id, period_id, minimums, created_at) VALUES ($1, $2, $3::jsonb, $4)",
            [runID, period.id, minimums, now]
        )
        let open = try transaction.query(
            """
            SELECT s.agent_id, s.currency, array_agg(s.statement_id ORDER BY s.period_id, s.statement_id) AS statement_ids,
                   array_agg(s.total_minor ORDER BY s.period_id, s.statement_id) AS amounts_minor, sum(s.total_minor)::bigint AS total_minor
            FROM payout_statements s JOIN payout_periods p USING (period_id)
            WHERE p.status = 'closed' AND p.ends_at <= $1
              AND NOT EXISTS (
                SELECT 1 FROM payout_instruction_statements pis
                WHERE pis.statement_id = s.statement_id
                  AND NOT EXISTS (SELECT 1 FROM payout_settlements st WHERE st.instruction_id = pis.instruction_id
                                                                       AND st.outcome IN ('failed', 'returned')))
            GROUP BY s.agent_id, s.currency ORDER BY s.agent_id, s.currency
            """,
            [period.end]
        )
        var run = PayoutRun(runID: runID, periodID: period.id, createdNow: true, instructions: [], carries: [])
        for row in open {
            let agentID = try row.decode(String.self, named: "agent_id")
            let currency = try Currency(code: try row.decode(String.self, named: "currency"))
            let statementIDs = try row.decode([String].self, named: "statement_ids")
            let amounts = try row.decode([Int64].self, named: "amounts_minor")
            let total = try row.decode(Int64.self, named: "total_minor")
            let details = try PayoutDetails.current(agentID: agentID, in: transaction)
            let reason: String? =
                total < self.settings.minimum(currency.code)
                ? "below_minimum" : (details == nil ? "no_payout_details" : nil)
            if let reason {
                try transaction.execute(
                    """
                    INSERT INTO payout_carries (run_id, agent_id, currency, amount_minor, statements, reason)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """,
                    [runID, agentID, currency.code, total, statementIDs.count, reason]
                )
                run.carries.append(
                    .init(
                        agentID: agentID, currency: currency.code, amountMinor: total, statements: statementIDs.count,
                        reason: reason))
                continue
            }
            guard let (detailsID, payee) = details else { continue }
            let sequence = String(run.instructions.count + 1)
            let instructionID =
                "PO-\(period.id)-" + String(repeating: "0", count: max(0, 6 - sequence.count)) + sequence
            try transaction.execute(
                """
                INSERT INTO payout_instructions (instruction_id, run_id, agent_id, currency, amount_minor, details_id,
                    account_holder, iban, bic, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """,
                [
                    instructionID, runID, agentID, currency.code, total, detailsID, payee.accountHolder,
                    payee.iban.value, payee.bic?.value, now,
                ]
            )
            try transaction.execute(
                """
                INSERT INTO payout_instruction_statements (instruction_id, statement_id, amount_minor)
                SELECT $1, * FROM unnest($2::text[], $3::bigint[])
                """,
                [instructionID, statementIDs, amounts]
            )
            try PaymentPosting.post(
                .payment, instructionID: instructionID, agentID: agentID,
                amount: Money(minorUnits: total, currency: currency),
                debit: .agentPayable(agentID), credit: .paymentsInTransit, at: now, ledger: self.ledger, in: transaction
            )
            run.instructions.append(
                .init(
                    instructionID: instructionID, agentID: agentID, currency: currency.code, amountMinor: total,
                    statements: statementIDs.count))
        }
        return run
    }

    /// A run as stored.
    public static func load(runID: String, in transaction: PostgresTransaction) throws -> PayoutRun {
        guard let head = try transaction.query("SELECT period_id FROM payout_runs WHERE run_id = $1", [runID]).first
        else {
            throw PayoutError(.noPayoutRun, "no payout run \(runID)")
        }
        var run = PayoutRun(
            runID: runID, periodID: try head.decode(String.self, named: "period_id"), createdNow: false,
            instructions: [], carries: [])
        for row in try transaction.query(
            """
            SELECT i.instruction_id, i.agent_id, i.currency, i.amount_minor,
                   (SELECT count(*) FROM payout_instruction_statements s WHERE s.instruction_id = i.instruction_id) AS statements
            FROM payout_instructions i WHERE i.run_id = $1 ORDER BY i.instruction_id
            """,
            [runID]
        ) {
            run.instructions.append(
                .init(
                    instructionID: try row.decode(String.self, named: "instruction_id"),
                    agentID: try row.decode(String.self, named: "agent_id"),
                    currency: try row.decode(String.self, named: "currency"),
                    amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                    statements: try row.decode(Int.self, named: "statements")
                )
            )
        }
        for row in try transaction.query(
            "SELECT agent_id, currency, amount_minor, statements, reason FROM payout_carries WHERE run_id = $1 ORDER BY agent_id, currency",
            [runID]
        ) {
            run.carries.append(
                .init(
                    agentID: try row.decode(String.self, named: "agent_id"),
                    currency: try row.decode(String.self, named: "currency"),
                    amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                    statements: try row.decode(Int.self, named: "statements"),
                    reason: try row.decode(String.self, named: "reason")
                )
            )
        }
        return run
    }
}
