public import ConciergeCore
public import ConciergePostgres

/// What a worker adds to the shared runtime: how to decode its input and how to apply a batch of it.
///
/// The runtime owns everything else: consuming, batching, the inbox (duplicates are skipped before `apply` sees them),
/// the outbox, retries, dead-lettering, acks, metrics and shutdown.
public protocol WorkerHandler: Sendable {
    associatedtype Input: Sendable

    /// Decodes and validates one delivery. A thrown `ContractError` sends it to the dead-letter queue with that reason.
    func decode(_ message: InboundMessage) throws(ContractError) -> Input

    /// Applies messages that were never applied before, inside the runtime's transaction, and returns every message
    /// to publish as a consequence (they are written to the outbox in the same transaction).
    ///
    /// The transaction may be retried (serialization failure, deadlock, lost connection), so `apply` must derive its
    /// effects only from its inputs and the database. Throw `HandlerError.rejected` for input that can never succeed
    /// (it is dead-lettered); any other error is treated as transient and retried through the backoff tiers.
    func apply(_ batch: [Accepted<Input>], in transaction: PostgresTransaction) throws -> [OutgoingMessage]
}

/// A decoded message that passed the inbox check.
public struct Accepted<Input: Sendable>: Sendable {
    public var message: InboundMessage
    public var input: Input

    public init(message: InboundMessage, input: Input) {
        self.message = message
        self.input = input
    }
}
