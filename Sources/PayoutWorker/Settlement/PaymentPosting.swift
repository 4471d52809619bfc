import ConciergeCore
import ConciergePostgres
import Foundation

/// The ledger side of payments: one transaction per instruction and step, unique on (instruction, kind), booked in
/// the period open at `date` (payments happen after their statements' period closed).
///
/// | kind               | debit                 | credit                |
/// |--------------------|-----------------------|-----------------------|
/// | `payment`          | `agent_payable:<id>`  | `payments_in_transit` |
/// | `payment_paid`     | `payments_in_transit` | `bank`                |
/// | `payment_failed`   | `payments_in_transit` | `agent_payable:<id>`  |
/// | `payment_returned` | `payments_in_transit` (pending) or `bank` (after paid) | `agent_payable:<id>` |
enum PaymentPosting {
    enum Step: String {
        case payment
        case paid = "payment_paid"
        case failed = "payment_failed"
        case returned = "payment_returned"
    }

    static func post(
        _ step: Step, instructionID: String, agentID: String, amount: Money, debit: LedgerAccount,
        credit: LedgerAccount,
        at date: Date, ledger: PayoutLedger, in transaction: PostgresTransaction
    ) throws {
        let journal = try JournalTransaction(
            postings: try JournalTransaction.transfer(amount, debit: debit, credit: credit, tag: "payment")
        )
        let (_, booked) = try ledger.bookingPeriod(for: date, in: transaction)
        let transactionID = try transaction.query(
            """
            INSERT INTO ledger_transactions (kind, instruction_id, period_id, description) VALUES ($1, $2, $3, $4)
            RETURNING transaction_id
            """,
            [step.rawValue, instructionID, booked.id, "\(step.rawValue) \(instructionID) (\(amount))"]
        ).singleRow("payment transaction insert").decode(Int64.self, named: "transaction_id")
        try ledger.insertEntries(
            journal, transactionID: transactionID, agentID: agentID, conversationID: nil, assignmentID: nil,
            offerID: nil,
            rateCardVersion: nil, in: transaction
        )
    }
}
