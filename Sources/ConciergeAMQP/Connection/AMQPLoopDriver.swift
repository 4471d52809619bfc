internal import CRabbitMQ

/// What a driver's command handler asks of its loop.
enum AMQPLoopControl {
    case proceed
    /// Close the connection, refuse further commands, then resume the continuation (if any) and end the thread.
    case stop(CheckedContinuation<Void, Never>?)
}

/// The role-specific half of a connection loop (publisher or consumer). All methods run on the loop's thread.
///
/// Throwing from any method means "this connection is broken": the loop closes it, calls
/// ``connectionLost(_:)`` and reconnects with backoff while ``wantsConnection`` is true.
protocol AMQPLoopDriver: AnyObject {
    associatedtype Command: Sendable

    /// Whether the loop should (re)connect now.
    var wantsConnection: Bool { get }
    /// Prepares a freshly logged-in connection (channels, confirm mode, topology, subscription).
    func setUp(_ connection: AMQPConnection) throws(AMQPError)
    /// The connection is set up and installed: run work that waited for it.
    func connected(_ connection: AMQPConnection) throws(AMQPError)
    /// The connection is gone: fail or forget whatever depended on it.
    func connectionLost(_ error: AMQPError)
    /// A (re)connect attempt failed; the loop retries after a backoff delay.
    func connectAttemptFailed(_ error: AMQPError)
    /// Runs one command; `connection` is nil while disconnected.
    func handle(_ command: Command, connection: AMQPConnection?) throws(AMQPError) -> AMQPLoopControl
    /// Handles a method frame the broker sent on its own (deliveries, confirms, returns, cancels, closes).
    func handle(method frame: amqp_frame_t, connection: AMQPConnection) throws(AMQPError)
    /// Called after each pass over the available input, before the frame memory is released.
    func endOfInput()
    /// The earliest instant at which ``fireTimers(now:connection:)`` has something to do.
    func nextDeadline() -> ContinuousClock.Instant?
    func fireTimers(now: ContinuousClock.Instant, connection: AMQPConnection?) throws(AMQPError)
    /// The loop is ending: fail `leftover` commands and everything outstanding with ``AMQPError/Code/closed``.
    func shutDown(leftover: [Command])
}
