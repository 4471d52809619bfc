public import ConciergeCore
public import ConciergePostgres

/// A shell handler for workers whose domain logic is not written yet: it validates that a message is a known
/// contract, records its id and schema in `worker_log`, and publishes nothing. It keeps the lanes drained (and their
/// messages accounted for) while the real handler is being built.
public struct RecordingHandler: WorkerHandler {
    public var worker: String

    public init(worker: String) {
        self.worker = worker
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> MessageSchema {
        try ContractDecoder().schema(of: message.body)
    }

    public func apply(_ batch: [Accepted<MessageSchema>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        try transaction.execute(
            "INSERT INTO worker_log (worker, message_id, schema) SELECT $1, unnest($2::text[]), unnest($3::text[])",
            [self.worker, batch.map(\.message.messageID), batch.map(\.input.rawValue)]
        )
        return []
    }
}
