internal import CRabbitMQ
import ConciergeSupport
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The loop that owns one AMQP connection on one dedicated thread.
///
/// Each turn: run queued commands; (re)connect when due; read every available frame without blocking (this is
/// also where rabbitmq-c sends heartbeats); fire the driver's timers; then `poll()` the socket and the wake-up
/// pipe for at most half a heartbeat interval. Missing inbound traffic for more than two heartbeat intervals
/// counts as a dead connection. Confined to its thread; created there and never shared.
final class AMQPIOLoop<Driver: AMQPLoopDriver> {
    private let handle: AMQPLoopHandle<Driver.Command>
    private let driver: Driver
    private let configuration: AMQPConfiguration
    private var logger: Logger
    private let clock = ContinuousClock()

    private var connection: AMQPConnection?
    private let backoff: Backoff
    /// Failed (re)connect attempts and losses since the last successful connect: the backoff's attempt number.
    private var failedAttempts = 0
    private var nextAttempt: ContinuousClock.Instant
    private var lastInbound: ContinuousClock.Instant
    private var everConnected = false
    /// The endpoint of the last connection: the first tried on the next connect.
    private var endpointIndex = 0
    private static var maxFramesPerPass: Int { 2048 }

    init(handle: AMQPLoopHandle<Driver.Command>, driver: Driver, configuration: AMQPConfiguration, logger: Logger) {
        self.handle = handle
        self.driver = driver
        self.configuration = configuration
        self.logger = logger
        self.backoff = Backoff(
            initial: configuration.initialReconnectDelay, maximum: configuration.maximumReconnectDelay,
            jitter: .proportional(0.2))
        self.nextAttempt = clock.now
        self.lastInbound = clock.now
    }

    /// Connects, reports the outcome through `started`, and on success runs until a command stops it.
    func run(started: (AMQPError?) -> Void) {
        do {
            try connect()
        } catch {
            started(error)
            driver.shutDown(leftover: handle.closeInbox())
            return
        }
        started(nil)

        var moreInput = false
        while true {
            for command in handle.takeCommands() {
                var control = AMQPLoopControl.proceed
                do {
                    control = try driver.handle(command, connection: connection)
                } catch {
                    lose(error)
                }
                if case .stop(let continuation) = control {
                    finish(continuation)
                    return
                }
            }

            if connection == nil, driver.wantsConnection, clock.now >= nextAttempt {
                do {
                    try connect()
                } catch {
                    let delay = nextReconnectDelay()
                    nextAttempt = clock.now + delay
                    logger.warning(
                        "AMQP reconnect failed",
                        metadata: [
                            AMQPLogKey.error: "\(error)", AMQPLogKey.retryInMilliseconds: "\(delay.inMilliseconds)",
                        ])
                    driver.connectAttemptFailed(error)
                }
            }

            moreInput = false
            if let connection {
                do {
                    moreInput = try pump(connection)
                } catch {
                    lose(error)
                }
            }

            do {
                try driver.fireTimers(now: clock.now, connection: connection)
            } catch {
                lose(error)
            }

            if let connection, clock.now - lastInbound > heartbeatInterval * 2 + .seconds(1) {
                connection.abandon()
                lose(AMQPError(.connectionClosed, operation: "heartbeat", detail: "no traffic from the broker"))
            }

            wait(moreInput: moreInput)
        }
    }

    private var heartbeatInterval: Duration {
        if let connection, connection.heartbeatSeconds > 0 { return .seconds(connection.heartbeatSeconds) }
        return .seconds(configuration.heartbeatSeconds)
    }

    /// Tries each endpoint in turn, starting with the one that worked last.
    private func connect() throws(AMQPError) {
        let endpoints = configuration.endpoints
        var fresh: AMQPConnection?
        var lastError: AMQPError?
        for offset in 0..<endpoints.count {
            let index = (endpointIndex + offset) % endpoints.count
            do {
                fresh = try AMQPConnection.open(configuration: configuration.at(endpoints[index]), logger: logger)
                endpointIndex = index
                break
            } catch {
                if error.code == .authenticationFailed { throw error }
                lastError = error
                if endpoints.count > 1 {
                    logger.debug(
                        "AMQP node unreachable; trying the next", metadata: ["amqp.endpoint": "\(endpoints[index])"])
                }
            }
        }
        guard let fresh else {
            throw lastError ?? AMQPError(.connectionFailed, operation: "connect", detail: "no endpoint")
        }
        do {
            try driver.setUp(fresh)
        } catch {
            fresh.close()
            throw error
        }
        connection = fresh
        failedAttempts = 0
        lastInbound = clock.now
        logger.info(
            everConnected ? "AMQP reconnected" : "AMQP connected",
            metadata: [AMQPLogKey.heartbeatSeconds: "\(fresh.heartbeatSeconds)"])
        everConnected = true
        do {
            try driver.connected(fresh)
        } catch {
            lose(error)
        }
    }

    /// The delay before the next connect; counts the attempt.
    private func nextReconnectDelay() -> Duration {
        defer { failedAttempts += 1 }
        return backoff.delay(forAttempt: failedAttempts)
    }

    private func lose(_ error: any Error) {
        let error = AMQPError.wrap(error, operation: "connection")
        guard let lost = connection else { return }
        connection = nil
        lost.close()
        driver.connectionLost(error)
        let delay = nextReconnectDelay()
        nextAttempt = clock.now + delay
        logger.warning(
            "AMQP connection lost",
            metadata: [AMQPLogKey.error: "\(error)", AMQPLogKey.retryInMilliseconds: "\(delay.inMilliseconds)"])
    }

    private func finish(_ continuation: CheckedContinuation<Void, Never>?) {
        if let connection {
            connection.close()
            self.connection = nil
        }
        driver.shutDown(leftover: handle.closeInbox())
        logger.debug("AMQP connection closed")
        continuation?.resume()
    }

    /// Reads and dispatches every frame available without blocking. Returns whether the pass stopped early.
    private func pump(_ connection: AMQPConnection) throws(AMQPError) -> Bool {
        var frame = amqp_frame_t()
        var count = 0
        defer {
            driver.endOfInput()
            if connection.isUsable { connection.releaseBuffers() }
        }
        while count < Self.maxFramesPerPass, connection.isUsable, try connection.readFrame(into: &frame) {
            count += 1
            if frame.frame_type == AMQPMethod.frameMethod {
                try driver.handle(method: frame, connection: connection)
            }
        }
        if count > 0 { lastInbound = clock.now }
        return count == Self.maxFramesPerPass
    }

    private func wait(moreInput: Bool) {
        let now = clock.now
        var deadline = now + (connection == nil ? .seconds(1) : heartbeatInterval / 2)
        if let driverDeadline = driver.nextDeadline() { deadline = min(deadline, driverDeadline) }
        if connection == nil, driver.wantsConnection { deadline = min(deadline, nextAttempt) }
        let timeout = moreInput ? 0 : Int32(clamping: max(0, (deadline - now).inMilliseconds + 1))

        var descriptors = [pollfd(fd: handle.wakeReadDescriptor, events: Int16(POLLIN), revents: 0)]
        let socket = connection?.socketDescriptor ?? -1
        if socket >= 0 { descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        let result = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if result > 0, descriptors.count > 1, descriptors[1].revents != 0 {
            lastInbound = clock.now
        }
    }
}
