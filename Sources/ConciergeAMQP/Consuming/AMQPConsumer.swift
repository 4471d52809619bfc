public import Logging

/// Consumes one queue with manual acks: one connection and one channel, owned by one dedicated thread.
///
/// On every (re)connect it declares `topology` and the bindings made with ``bind(exchange:routingKey:)``, sets
/// basic.qos(`prefetch`) and subscribes. When the connection or channel is lost it reconnects with jittered
/// exponential backoff (100 ms doubling to 5 s by default, ±20 %), re-declares and re-subscribes; when the broker
/// cancels the consumer (its queue was deleted) it re-declares and re-subscribes the same way. So a queue the broker
/// removed meanwhile (`x-expires`, a non-durable queue after a broker restart) comes back with every binding before
/// its first delivery. Deliveries received on a lost connection are dropped from the buffer and acks for
/// them are ignored: the broker redelivers them (at-least-once).
///
/// All methods are safe to call concurrently from any task and never block a cooperative thread.
public final class AMQPConsumer: Sendable {
    private let handle: AMQPLoopHandle<AMQPConsumerCommand>
    private let buffer: AMQPConsumerBuffer

    private init(handle: AMQPLoopHandle<AMQPConsumerCommand>, buffer: AMQPConsumerBuffer) {
        self.handle = handle
        self.buffer = buffer
    }

    /// Connects, declares `topology`, subscribes to `queue` and starts the consumer's thread.
    ///
    /// - Parameter prefetch: the most unacknowledged deliveries the broker sends (also bounds the buffer).
    /// - Throws: ``AMQPError`` when the first connection, declaration or subscription fails (e.g. `channelClosed`
    ///   404 for a missing queue).
    public static func connect(
        configuration: AMQPConfiguration, queue: String, prefetch: UInt16, topology: AMQPTopology = .init(),
        logger: Logger
    ) async throws -> AMQPConsumer {
        var logger = logger.withAMQPMetadata(configuration)
        logger[metadataKey: AMQPLogKey.queue] = "\(queue)"
        let handle = AMQPLoopHandle<AMQPConsumerCommand>()
        let buffer = AMQPConsumerBuffer()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            AMQPThread.start { [logger] in
                let driver = AMQPConsumerDriver(
                    configuration: configuration, queue: queue, prefetch: prefetch, topology: topology,
                    buffer: buffer, logger: logger)
                let loop = AMQPIOLoop(handle: handle, driver: driver, configuration: configuration, logger: logger)
                loop.run { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            }
        }
        return AMQPConsumer(handle: handle, buffer: buffer)
    }

    deinit {
        _ = handle.submit(.close(nil))  // backstop only; owners call close()
    }

    /// Waits up to `timeout` for at least one delivery, then returns up to `max` buffered deliveries
    /// (`[]` on timeout).
    ///
    /// - Throws: ``AMQPError`` `closed` after ``close()``; `CancellationError` when the task is cancelled.
    public func receive(max: Int, timeout: Duration) async throws -> [AMQPDelivery] {
        let max = Swift.max(1, max)
        let id = buffer.makeWaiterID()
        let deadline = ContinuousClock.now + timeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let waiter = AMQPConsumerBuffer.Waiter(id: id, max: max, deadline: deadline, continuation: continuation)
                switch buffer.take(max: max, waiter: waiter) {
                case .ready(let result): continuation.resume(with: result)
                case .waiting: handle.wake()  // the loop recomputes its poll deadline
                }
            }
        } onCancel: {
            buffer.removeWaiter(id: id)?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Acks the deliveries (one `multiple` ack when they are every unacked tag up to the highest one); returns
    /// once written to the socket. Deliveries from an older connection are silently dropped (the broker
    /// redelivers them).
    public func ack(_ deliveries: [AMQPDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        let tags = deliveries.map { AMQPConsumerCommand.Tag(value: $0.deliveryTag, generation: $0.generation) }
        try await perform("basic.ack") { .ack(tags, $0) }
    }

    /// Negatively acknowledges one delivery: `requeue: false` dead-letters (or drops) it.
    public func nack(_ delivery: AMQPDelivery, requeue: Bool) async throws {
        let tag = AMQPConsumerCommand.Tag(value: delivery.deliveryTag, generation: delivery.generation)
        try await perform("basic.nack") { .nack(tag, requeue: requeue, $0) }
    }

    /// Rejects one delivery: `requeue: false` dead-letters (or drops) it.
    public func reject(_ delivery: AMQPDelivery, requeue: Bool) async throws {
        let tag = AMQPConsumerCommand.Tag(value: delivery.deliveryTag, generation: delivery.generation)
        try await perform("basic.reject") { .reject(tag, requeue: requeue, $0) }
    }

    /// Binds the consumer's queue to `exchange` with `routingKey`, and keeps the binding: it is declared again with
    /// the queue on every (re)connect and re-subscription. Returns once the broker confirmed it (bind-ok); while the
    /// consumer is not subscribed (reconnecting, or its queue was deleted), once recorded: the next subscription
    /// declares it before consuming.
    ///
    /// A kept binding's exchange must outlive it: were the exchange deleted, every re-subscription would fail (and
    /// the consumer retry with backoff) until the binding is unbound.
    ///
    /// - Throws: ``AMQPError`` when the broker refuses it (e.g. `channelClosed` 404 for a missing exchange; the
    ///   binding is not kept, and the consumer reconnects as after any channel error), `closed` after ``close()``.
    public func bind(exchange: String, routingKey: String) async throws {
        let binding = AMQPConsumerCommand.Binding(exchange: exchange, routingKey: routingKey)
        try await perform("queue.bind") { .bind(binding, $0) }
    }

    /// Removes a binding made with ``bind(exchange:routingKey:)``: from the broker when subscribed, and from the
    /// bindings declared on reconnect. While the consumer is not subscribed it is only forgotten: if the queue
    /// survived, the broker keeps the binding until the queue goes (its deliveries still arrive here).
    public func unbind(exchange: String, routingKey: String) async throws {
        let binding = AMQPConsumerCommand.Binding(exchange: exchange, routingKey: routingKey)
        try await perform("queue.unbind") { .unbind(binding, $0) }
    }

    /// Cancels the subscription (basic.cancel) and waits for the broker's cancel-ok: no new deliveries arrive,
    /// buffered ones can still be received, and received ones can still be acked. For graceful shutdown.
    public func stopConsuming() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !handle.submit(.stopConsuming(continuation)) { continuation.resume() }
        }
    }

    /// Whether the consumer is connected and subscribed (for readiness probes).
    public var isConsuming: Bool { buffer.isConsuming }

    /// Writes pending acks, then closes the channel and connection (unacked deliveries return to the queue)
    /// and ends the thread. Calling it again does nothing.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !handle.submit(.close(continuation)) { continuation.resume() }
        }
    }

    private func perform(
        _ operation: String, _ command: (CheckedContinuation<Void, any Error>) -> AMQPConsumerCommand
    ) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            if !handle.submit(command(continuation)) {
                continuation.resume(throwing: AMQPError(.closed, operation: operation, detail: "consumer closed"))
            }
        }
    }
}
