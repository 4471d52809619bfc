public import ConciergeCore
public import ConciergePostgres
import Foundation

/// The pass-through worker: records each message in `passthrough_log` and forwards a copy. It exercises the whole
/// runtime (inbox, outbox, confirms, acks) with a handler that does almost nothing, for the runtime's benchmark and
/// fault tests.
public struct PassthroughHandler: WorkerHandler {
    public var consumer: String
    public var outputExchange: String
    public var outputRoutingKey: String
    /// When set, a message whose payload equals it crashes the process (a stand-in for a poison message that kills a
    /// worker). Only ever set by tests.
    public var crashMarker: String?
    /// When set, a message whose payload equals it fails with a transient error every time (exercises the retry
    /// tiers). Only ever set by tests.
    public var failMarker: String?

    public init(
        consumer: String, outputExchange: String, outputRoutingKey: String, crashMarker: String? = nil,
        failMarker: String? = nil
    ) {
        self.consumer = consumer
        self.outputExchange = outputExchange
        self.outputRoutingKey = outputRoutingKey
        self.crashMarker = crashMarker
        self.failMarker = failMarker
    }

    struct SimulatedFailure: Error, CustomStringConvertible {
        var description: String { "simulated transient failure (fail marker)" }
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> PassthroughV1 {
        try ContractDecoder().decode(PassthroughV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<PassthroughV1>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
        if let crashMarker, batch.contains(where: { $0.input.payload == crashMarker }) {
            fatalError("pass-through worker: crash marker seen (simulated poison message)")
        }
        if let failMarker, batch.contains(where: { $0.input.payload == failMarker }) {
            throw SimulatedFailure()
        }
        try transaction.execute(
            "INSERT INTO passthrough_log (consumer, message_id) SELECT $1, unnest($2::text[])",
            [self.consumer, batch.map(\.message.messageID)]
        )
        return batch.map { accepted in
            OutgoingMessage(
                accepted.input, id: accepted.input.messageID, exchange: self.outputExchange,
                routingKey: self.outputRoutingKey, mandatory: true
            )
        }
    }
}
