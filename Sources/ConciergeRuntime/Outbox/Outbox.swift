public import ConciergePostgres

/// Writing to the outbox from code that is not a handler (a dispatcher loop, a timer, a CLI command): the rows are
/// published by the relay sweep of any running worker process within a few seconds.
public enum Outbox {
    /// Inserts `messages` inside the caller's transaction, unclaimed, so the next relay sweep publishes them. The
    /// insert goes out with the transaction's next statement or its `COMMIT` (a failure is thrown there).
    public static func write(_ messages: [OutgoingMessage], producer: String, in transaction: PostgresTransaction) {
        OutboxStore.insert(messages, producer: producer, claimSeconds: nil, in: transaction)
    }
}
