public import ConciergePostgres

/// Erases one customer's data (migration 0051's `concierge_erase_customer`): inquiry texts, transcripts, AI replies
/// and hand-offs, agent messages, escalation previews, summaries and facts, sent outbox bodies, the customer's name
/// and the account-facts copies. The payout ledger and an agent's earnings stay whole under the pseudonymous agent
/// id; the erasure is recorded in `customer_erasures`. Idempotent.
public enum CustomerErasure {
    /// Rows changed per table (zero everywhere on a repeated erasure).
    public typealias Counts = [String: Int]

    /// Runs inside `transaction` (the caller's commit makes it happen). `source`: who asked (`conciergectl`, or the
    /// id of an `erasure.requested.v1`).
    public static func erase(customerID: String, source: String, in transaction: PostgresTransaction) throws -> Counts {
        let rows = try transaction.query(
            """
            SELECT key, value::bigint AS count FROM jsonb_each_text(concierge_erase_customer($1, $2))
            """, [customerID, source])
        var counts: Counts = [:]
        for row in rows {
            counts[try row.decode(String.self, named: "key")] = Int(try row.decode(Int64.self, named: "count"))
        }
        return counts
    }
}
