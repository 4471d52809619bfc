public import ConciergeCore
public import ConciergePostgres

/// Consumes `erasure.requested.v1` and erases the customer in the runtime's transaction (the inbox makes a
/// redelivery a no-op; the erasure itself is idempotent too). Publishes nothing. Runs as the migration owner's
/// privileges or a dedicated privacy role: no worker role may call `concierge_erase_customer`.
public struct ErasureHandler: WorkerHandler {
    public init() {}

    public func decode(_ message: InboundMessage) throws(ContractError) -> ErasureRequestedV1 {
        try ContractDecoder().decode(ErasureRequestedV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<ErasureRequestedV1>], in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
        for request in batch {
            _ = try CustomerErasure.erase(
                customerID: request.input.customerID, source: request.input.messageID, in: transaction)
        }
        return []
    }
}
