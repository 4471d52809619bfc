import ConciergeAMQP
public import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import ConciergeSupport
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
    /// When set, a message whose payload equals `flaky.marker` fails with a transient error until it arrives with
    /// `x-concierge-retries` of at least `flaky.times`, then succeeds (transient failures that end). Tests only.
    public var flaky: (marker: String, times: Int)?
    /// When set, a batch holding a message whose payload equals `slow.marker` takes `slow.duration` longer inside its
    /// transaction (a handler slower than the heartbeat). Tests only.
    public var slow: (marker: String, duration: Duration)?

    public init(
        consumer: String, outputExchange: String, outputRoutingKey: String, crashMarker: String? = nil,
        failMarker: String? = nil, flaky: (marker: String, times: Int)? = nil,
        slow: (marker: String, duration: Duration)? = nil
    ) {
        self.consumer = consumer
        self.outputExchange = outputExchange
        self.outputRoutingKey = outputRoutingKey
        self.crashMarker = crashMarker
        self.failMarker = failMarker
        self.flaky = flaky
        self.slow = slow
    }

    struct SimulatedFailure: Error, CustomStringConvertible {
        var description: String { "simulated transient failure (fail marker)" }
    }

    static func retries(_ message: InboundMessage) -> Int {
        if case .int(let value) = message.headers[FleetNames.Headers.retries] { Int(value) } else { 0 }
    }

    public func decode(_ message: InboundMessage) throws(ContractError) -> PassthroughV1 {
        try ContractDecoder().decode(PassthroughV1.self, from: message.body)
    }

    public func apply(_ batch: [Accepted<PassthroughV1>], in transaction: PostgresTransaction) throws
        -> [OutgoingMessage]
    {
        if let crashMarker, batch.contains(where: { $0.input.payload == crashMarker }) {
            fatalError("pass-through worker: crash marker seen (simulated poison message)")
        }
        if let failMarker, batch.contains(where: { $0.input.payload == failMarker }) {
            throw SimulatedFailure()
        }
        if let flaky,
            batch.contains(where: { $0.input.payload == flaky.marker && Self.retries($0.message) < flaky.times })
        {
            throw SimulatedFailure()
        }
        if let slow, batch.contains(where: { $0.input.payload == slow.marker }) {
            // On the connection's own thread, inside the transaction: what a slow statement looks like.
            Thread.sleep(forTimeInterval: slow.duration.inSeconds)
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
