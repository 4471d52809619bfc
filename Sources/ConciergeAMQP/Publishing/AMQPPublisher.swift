public import Logging

/// Publishes with publisher confirms: one connection and one confirm-mode channel, owned by one dedicated thread.
///
/// All methods are safe to call concurrently from any task; they never block a cooperative thread. Concurrent
/// `publish` calls are pipelined on the channel. If the connection is down when work arrives, the publisher
/// reconnects with jittered exponential backoff (waiting up to ``AMQPConfiguration/operationTimeout``).
///
/// Delivery guarantee: at least once. A `publish` that throws may still have reached the broker.
public final class AMQPPublisher: Sendable {
    private let handle: AMQPLoopHandle<AMQPPublisherCommand>
    private let logger: Logger

    private init(handle: AMQPLoopHandle<AMQPPublisherCommand>, logger: Logger) {
        self.handle = handle
        self.logger = logger
    }

    /// Connects, opens a confirm-mode channel and starts the publisher's thread.
    ///
    /// - Throws: ``AMQPError`` (`connectionFailed`, `authenticationFailed`, `timeout`) when the first connection
    ///   cannot be made; later outages are handled by reconnecting.
    public static func connect(configuration: AMQPConfiguration, logger: Logger) async throws -> AMQPPublisher {
        let logger = logger.withAMQPMetadata(configuration)
        let handle = AMQPLoopHandle<AMQPPublisherCommand>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            AMQPThread.start {
                let driver = AMQPPublisherDriver(configuration: configuration, logger: logger)
                let loop = AMQPIOLoop(handle: handle, driver: driver, configuration: configuration, logger: logger)
                loop.run { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                }
            }
        }
        return AMQPPublisher(handle: handle, logger: logger)
    }

    deinit {
        _ = handle.submit(.close(nil))  // backstop only; owners call close()
    }

    /// Publishes every message and returns one outcome per message, in order, once the broker confirmed
    /// (basic.ack), refused (basic.nack) or returned (basic.return, for mandatory unroutable messages) each one.
    ///
    /// - Throws: ``AMQPError`` `connectionClosed`/`channelClosed` when the connection dropped with confirms
    ///   outstanding (retry: at-least-once), `timeout` when confirms did not arrive within the operation timeout,
    ///   `closed` after ``close()``.
    public func publish(_ messages: [AMQPMessage]) async throws -> [AMQPPublishOutcome] {
        try await perform("publish") { .publish(messages, $0) }
    }

    /// Declares exchanges, queues and bindings (idempotent; a mismatching redeclaration throws `channelClosed` 406).
    public func declare(_ topology: AMQPTopology) async throws {
        try await perform("declare") { .declare(topology, $0) }
    }

    /// The queue's counters (a passive declare), or `nil` when the queue does not exist.
    public func queueStatus(_ queue: String) async throws -> AMQPQueueStatus? {
        try await perform("queue status") { .queueStatus(queue, $0) }
    }

    /// Removes every ready message from the queue; returns how many.
    public func purgeQueue(_ queue: String) async throws -> UInt32 {
        try await perform("queue.purge") { .purgeQueue(queue, $0) }
    }

    /// Deletes the queue (and its messages). Deleting a missing queue succeeds. `ifEmpty`: only when it holds no
    /// message; otherwise the broker refuses (`channelClosed` 406 PRECONDITION_FAILED) and the queue stays.
    public func deleteQueue(_ queue: String, ifEmpty: Bool = false) async throws {
        try await perform("queue.delete") { .deleteQueue(queue, ifEmpty: ifEmpty, $0) }
    }

    /// Deletes the exchange. Deleting a missing exchange succeeds.
    public func deleteExchange(_ exchange: String) async throws {
        try await perform("exchange.delete") { .deleteExchange(exchange, $0) }
    }

    /// Removes a binding (queue.unbind). Removing a binding that does not exist succeeds; a missing queue or
    /// exchange throws `channelClosed` 404.
    public func unbind(_ binding: AMQPTopology.Binding) async throws {
        try await perform("queue.unbind") { .unbind(binding, $0) }
    }

    /// Closes the channel and connection and ends the thread. Outstanding publishes fail with `closed`.
    /// Calling it again does nothing.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !handle.submit(.close(continuation)) { continuation.resume() }
        }
    }

    private func perform<T: Sendable>(
        _ operation: String, _ command: (CheckedContinuation<T, any Error>) -> AMQPPublisherCommand
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            if !handle.submit(command(continuation)) {
                continuation.resume(throwing: AMQPError(.closed, operation: operation, detail: "publisher closed"))
            }
        }
    }
}
