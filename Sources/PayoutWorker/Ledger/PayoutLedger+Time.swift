import ConciergeCore
public import ConciergePostgres
import Foundation

extension PayoutLedger {
    /// Books a time earning into its own period (which must still be open: the closer calls this before it closes
    /// the period) with its balanced ledger transaction, unless it already exists. Returns whether it was new.
    @discardableResult
    public func post(_ record: TimeEarningRecord, in transaction: PostgresTransaction) throws -> Bool {
        let earning = record.earning
        let c = earning.components
        var postings: [LedgerPosting] = []
        for part in c.parts {
            postings += try JournalTransaction.transfer(
                part.amount, debit: .agentFeesExpense, credit: .agentPayable(record.agentID), tag: part.component
            )
        }
        let journal = try JournalTransaction(postings: postings)
        try self.ensureAgent(record.agentID, in: transaction)
        let inserted = try transaction.query(
            """
            INSERT INTO payout_earnings (earning_id, assignment_id, kind, agent_id, conversation_id, offer_id, market,
                currency, rate_card_version, hourly_minor, guarantee_minor, amount_minor, surge_bp, source_message_id,
                occurred_at, event_period_id, period_id, minutes_online, rate_per_hour_minor, minimum_per_hour_minor,
                guaranteed_minor, counted_minor)
            VALUES ($1, NULL, $2, $3, NULL, NULL, $4, $5, $6, $7, $8, $9, 10000, $10, $11, $12, $12, $13, $14, $15, $16, $17)
            ON CONFLICT DO NOTHING RETURNING earning_id
            """,
            [
                record.earningID, earning.kind.rawValue, record.agentID, record.market, c.currency.code,
                record.rateCardVersion, c.hourly, c.guarantee, c.total.minorUnits, "close:\(record.periodID)",
                record.occurredAt, record.periodID, earning.minutesOnline, earning.ratePerHour, earning.minimumPerHour,
                earning.guaranteed, earning.counted,
            ]
        )
        guard !inserted.isEmpty else { return false }
        let transactionID = try transaction.query(
            """
            INSERT INTO ledger_transactions (kind, earning_id, period_id, description) VALUES ('earning', $1, $2, $3)
            RETURNING transaction_id
            """,
            [
                record.earningID, record.periodID,
                "\(earning.kind.rawValue) \(record.agentID) \(earning.minutesOnline) min (\(record.rateCardVersion)/\(record.market))",
            ]
        ).singleRow().decode(Int64.self, named: "transaction_id")
        try self.insertEntries(
            journal, transactionID: transactionID, agentID: record.agentID, conversationID: nil, assignmentID: nil,
            offerID: nil, rateCardVersion: record.rateCardVersion, in: transaction
        )
        return true
    }
}
