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

    /// An optional asynchronous step before the transaction, for work that must not happen inside it (a network
    /// call): returns the batch with its inputs enriched, one element per element of `batch`, in the same order
    /// (a result of another length is ignored and the original batch applied).
    ///
    /// It runs once per received batch, before the inbox check, so it may see messages that turn out to be
    /// duplicates; the single-message fallback after a failed batch reuses its result. It must not write:
    /// `apply` alone decides effects, and must stay correct whatever `prepare` returned. The default does nothing.
    func prepare(_ batch: [Accepted<Input>], database: PostgresConnection) async -> [Accepted<Input>]
}

extension WorkerHandler {
    public func prepare(_ batch: [Accepted<Input>], database: PostgresConnection) async -> [Accepted<Input>] {
        batch
    }
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
