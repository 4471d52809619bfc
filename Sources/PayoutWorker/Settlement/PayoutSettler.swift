import ConciergeCore
public import ConciergePostgres
public import Foundation

/// `payouts settle --file F`: applies the bank's results to payment instructions, all in the caller's transaction.
///
/// pending → paid (in transit → bank), pending → failed or returned (in transit → payable: the statements become
/// payable again and the next run pays them), paid → returned (bank → payable). A result already recorded is skipped
/// (settling the same file twice changes nothing); an unknown instruction or an impossible step (failed after paid,
/// anything after failed or returned) rejects the whole file.
public struct PayoutSettler: Sendable {
    public let ledger: PayoutLedger

    public init(cadence: PayCadence) {
        self.ledger = PayoutLedger(cadence: cadence)
    }

    public struct Result: Sendable, Hashable {
        public var applied: [BankResultFile.Outcome: Int] = [:]
        public var unchanged = 0
    }

    public func settle(_ file: BankResultFile, source: String, now: Date = Date(), in transaction: PostgresTransaction)
        throws -> Result
    {
        try transaction.execute("SELECT pg_advisory_xact_lock(hashtextextended('payout:runs', 0))")
        var result = Result()
        for line in file.lines {
            guard
                let row = try transaction.query(
                    """
                    SELECT agent_id, currency, amount_minor,
                           array(SELECT outcome FROM payout_settlements s WHERE s.instruction_id = i.instruction_id) AS outcomes
                    FROM payout_instructions i WHERE instruction_id = $1 FOR UPDATE
                    """,
                    [line.instructionID]
                ).first
            else {
                throw PayoutError(
                    .invalidBankResult, "line \(line.lineNumber): no payment instruction \(line.instructionID)")
            }
            let agentID = try row.decode(String.self, named: "agent_id")
            let amount = Money(
                minorUnits: try row.decode(Int64.self, named: "amount_minor"),
                currency: try Currency(code: try row.decode(String.self, named: "currency")))
            let recorded = Set(
                try row.decode([String].self, named: "outcomes").compactMap(BankResultFile.Outcome.init(rawValue:)))
            if recorded.contains(line.outcome) {
                result.unchanged += 1
                continue
            }
            let step: PaymentPosting.Step
            let debit: LedgerAccount
            let credit: LedgerAccount
            switch (line.outcome, recorded) {
            case (.paid, []): (step, debit, credit) = (.paid, .paymentsInTransit, .bank)
            case (.failed, []): (step, debit, credit) = (.failed, .paymentsInTransit, .agentPayable(agentID))
            case (.returned, []): (step, debit, credit) = (.returned, .paymentsInTransit, .agentPayable(agentID))
            case (.returned, [.paid]): (step, debit, credit) = (.returned, .bank, .agentPayable(agentID))
            default:
                let state = recorded.contains(.returned) ? "returned" : recorded.contains(.failed) ? "failed" : "paid"
                throw PayoutError(
                    .invalidBankResult,
                    "line \(line.lineNumber): \(line.instructionID) is \(state); it cannot become \(line.outcome.rawValue)"
                )
            }
            try transaction.execute(
                "INSERT INTO payout_settlements (instruction_id, outcome, reason, source_file, settled_at) VALUES ($1, $2, $3, $4, $5)",
                [line.instructionID, line.outcome.rawValue, line.reason, source, now]
            )
            try PaymentPosting.post(
                step, instructionID: line.instructionID, agentID: agentID, amount: amount, debit: debit, credit: credit,
                at: now, ledger: self.ledger, in: transaction
            )
            result.applied[line.outcome, default: 0] += 1
        }
        return result
    }
}
