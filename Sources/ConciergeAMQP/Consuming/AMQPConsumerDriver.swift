internal import CRabbitMQ
import Logging
import Synchronization

/// Connection generations are unique across all consumers of the process, so a delivery can only be acked on
/// the very channel that delivered it.
private let generationCounter = Atomic<UInt64>(0)

/// The consumer's side of its loop: one channel (1) that declares the topology, sets basic.qos and consumes
/// `queue` with manual acks. Confined to the loop thread.
final class AMQPConsumerDriver: AMQPLoopDriver {
    typealias Command = AMQPConsumerCommand

    private static let channel: UInt16 = 1

    private let configuration: AMQPConfiguration
    private let queue: String
    private let prefetch: UInt16
    private let topology: AMQPTopology
    private let buffer: AMQPConsumerBuffer
    private let logger: Logger
    private let clock = ContinuousClock()

    /// The generation of the current channel; 0 while disconnected.
    private var generation: UInt64 = 0
    /// Tags delivered on the current channel and not yet acked, nacked or rejected.
    private var unacked = Set<UInt64>()
    private var consumerTag: String?
    private var stopRequested = false
    private var stopWaiters: [(continuation: CheckedContinuation<Void, Never>, deadline: ContinuousClock.Instant)] = []
    /// When to re-subscribe after the broker cancelled the consumer.
    private var resubscribeAt: ContinuousClock.Instant?
    private var incoming: [AMQPDelivery] = []
    /// The bindings made through ``AMQPConsumer/bind(exchange:routingKey:)``: declared after `topology` on every
    /// subscription.
    private var bindings = Set<AMQPConsumerCommand.Binding>()

    init(
        configuration: AMQPConfiguration, queue: String, prefetch: UInt16, topology: AMQPTopology,
        buffer: AMQPConsumerBuffer, logger: Logger
    ) {
        self.configuration = configuration
        self.queue = queue
        self.prefetch = prefetch
        self.topology = topology
        self.buffer = buffer
        self.logger = logger
    }

    var wantsConnection: Bool { true }

    func setUp(_ connection: AMQPConnection) throws(AMQPError) {
        generation = generationCounter.wrappingAdd(1, ordering: .relaxed).newValue
        unacked.removeAll()
        consumerTag = nil
        resubscribeAt = nil
        try connection.openChannel(Self.channel)
        try connection.qos(prefetch: prefetch, channel: Self.channel)
        try subscribe(connection)
    }

    private func subscribe(_ connection: AMQPConnection) throws(AMQPError) {
        if !topology.isEmpty { try connection.declare(topology, channel: Self.channel) }
        if !bindings.isEmpty {
            try connection.declare(AMQPTopology(bindings: bindings.map(queueBinding)), channel: Self.channel)
        }
        guard !stopRequested else { return }
        consumerTag = try connection.consume(queue: queue, channel: Self.channel)
        buffer.setConsuming(true)
        logger.debug("AMQP consumer subscribed", metadata: [AMQPLogKey.consumerTag: "\(consumerTag ?? "")"])
    }

    func connected(_ connection: AMQPConnection) throws(AMQPError) {}

    func connectionLost(_ error: AMQPError) {
        generation = 0
        unacked.removeAll()
        consumerTag = nil
        resubscribeAt = nil
        incoming.removeAll()
        buffer.setConsuming(false)
        buffer.dropBuffered()
        resumeStopWaiters()
    }

    func connectAttemptFailed(_ error: AMQPError) {}

    func handle(_ command: Command, connection: AMQPConnection?) throws(AMQPError) -> AMQPLoopControl {
        switch command {
        case .ack(let tags, let continuation):
            try settle(continuation, connection) { connection throws(AMQPError) in
                let live = tags.filter { $0.generation == generation && unacked.contains($0.value) }
                    .map(\.value).sorted()
                guard let last = live.last else { return }
                // multiple=true acks every unacked tag up to `last`: only when all of them are in this request.
                if live.count > 1, unacked.lazy.filter({ $0 <= last }).count == live.count {
                    try connection.ack(tag: last, multiple: true, channel: Self.channel)
                } else {
                    for tag in live { try connection.ack(tag: tag, multiple: false, channel: Self.channel) }
                }
                unacked.subtract(live)
            }
        case .nack(let tag, let requeue, let continuation):
            try settle(continuation, connection) { connection throws(AMQPError) in
                guard tag.generation == generation, unacked.contains(tag.value) else { return }
                try connection.nack(tag: tag.value, requeue: requeue, channel: Self.channel)
                unacked.remove(tag.value)
            }
        case .reject(let tag, let requeue, let continuation):
            try settle(continuation, connection) { connection throws(AMQPError) in
                guard tag.generation == generation, unacked.contains(tag.value) else { return }
                try connection.reject(tag: tag.value, requeue: requeue, channel: Self.channel)
                unacked.remove(tag.value)
            }
        case .bind(let binding, let continuation):
            // Not subscribed: the next subscription declares it, before consuming.
            guard let connection, consumerTag != nil else {
                bindings.insert(binding)
                continuation.resume()
                return .proceed
            }
            try settle(continuation, connection) { connection throws(AMQPError) in
                try connection.declare(AMQPTopology(bindings: [queueBinding(binding)]), channel: Self.channel)
                bindings.insert(binding)
            }
        case .unbind(let binding, let continuation):
            bindings.remove(binding)
            guard let connection, consumerTag != nil else {
                continuation.resume()
                return .proceed
            }
            try settle(continuation, connection) { connection throws(AMQPError) in
                try connection.unbind(queueBinding(binding), channel: Self.channel)
            }
        case .stopConsuming(let continuation):
            stopRequested = true
            resubscribeAt = nil
            buffer.setConsuming(false)
            if let connection, let consumerTag {
                stopWaiters.append((continuation, clock.now + configuration.operationTimeout))
                try connection.cancel(consumerTag: consumerTag, channel: Self.channel)
            } else {
                continuation.resume()
            }
        case .close(let continuation):
            buffer.close()
            return .stop(continuation)
        }
        return .proceed
    }

    private func queueBinding(_ binding: AMQPConsumerCommand.Binding) -> AMQPTopology.Binding {
        AMQPTopology.Binding(queue: queue, exchange: binding.exchange, routingKey: binding.routingKey)
    }

    /// Runs an ack/nack/reject, bind or unbind when connected (a disconnected ack is dropped: the broker redelivers),
    /// resuming `continuation` once the method is written (a bind or unbind: confirmed). A failure is reported and
    /// breaks the connection.
    private func settle(
        _ continuation: CheckedContinuation<Void, any Error>, _ connection: AMQPConnection?,
        _ body: (AMQPConnection) throws(AMQPError) -> Void
    ) throws(AMQPError) {
        guard let connection else {
            continuation.resume()
            return
        }
        do {
            try body(connection)
            continuation.resume()
        } catch {
            continuation.resume(throwing: error)
            throw error
        }
    }

    func handle(method frame: amqp_frame_t, connection: AMQPConnection) throws(AMQPError) {
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.basicDeliver:
            let deliver = method.decoded!.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let tag = deliver.delivery_tag
            let redelivered = deliver.redelivered != 0
            let exchange = deliver.exchange.string
            let routingKey = deliver.routing_key.string
            let (body, properties) = try connection.readContent(channel: frame.channel) { message in
                (message.body.array, AMQPProperties(message.properties))
            }
            unacked.insert(tag)
            incoming.append(
                AMQPDelivery(
                    deliveryTag: tag, redelivered: redelivered, exchange: exchange, routingKey: routingKey,
                    body: body, properties: properties, generation: generation))
        case AMQPMethod.basicCancel:
            // consumer_cancel_notify: the queue was deleted (or failed over). Re-declare and re-subscribe.
            consumerTag = nil
            buffer.setConsuming(false)
            logger.warning("AMQP consumer cancelled by the broker; re-subscribing")
            if !stopRequested { resubscribeAt = clock.now }
        case AMQPMethod.basicCancelOk:
            consumerTag = nil
            resumeStopWaiters()
        default:
            if try !connection.handleCommonMethod(frame, logger: logger) {
                logger.debug("AMQP consumer ignored a method", metadata: [AMQPLogKey.method: "\(method.id)"])
            }
        }
    }

    func endOfInput() {
        guard !incoming.isEmpty else { return }
        buffer.append(incoming)
        incoming.removeAll(keepingCapacity: true)
    }

    func nextDeadline() -> ContinuousClock.Instant? {
        [buffer.earliestDeadline, resubscribeAt, stopWaiters.lazy.map(\.deadline).min()].compactMap { $0 }.min()
    }

    func fireTimers(now: ContinuousClock.Instant, connection: AMQPConnection?) throws(AMQPError) {
        buffer.expireWaiters(now: now)
        if stopWaiters.contains(where: { $0.deadline <= now }) {
            stopWaiters.removeAll { waiter in
                guard waiter.deadline <= now else { return false }
                waiter.continuation.resume()
                return true
            }
        }
        if let due = resubscribeAt, due <= now, let connection {
            resubscribeAt = nil
            try subscribe(connection)  // a failure (e.g. 404 queue gone) reconnects with backoff
            logger.info("AMQP consumer re-subscribed after a broker cancel")
        }
    }

    func shutDown(leftover: [Command]) {
        buffer.close()
        resumeStopWaiters()
        let error = AMQPError(.closed, operation: "consumer", detail: "consumer closed")
        for command in leftover { command.fail(error) }
    }

    private func resumeStopWaiters() {
        let waiters = stopWaiters
        stopWaiters = []
        for waiter in waiters { waiter.continuation.resume() }
    }
}
