import ConciergeSupport
import Foundation
import Logging
import Synchronization

/// Everything that lives on a connection's worker thread: the current libpq connection and the retry and reconnect
/// policy. Not `Sendable`: created on the worker thread and used only there.
final class PostgresSession {
    /// Between a serialization failure or deadlock and the next attempt: up to 1, 2, 4, ... ms, at most 100 ms.
    static let transactionRetryBackoff = Backoff(
        initial: .milliseconds(1), maximum: .milliseconds(100), jitter: .full)
    /// Between reconnect attempts: equal jitter (half to all) of 50 ms doubling to 2 s.
    static let reconnectBackoff = Backoff(initial: .milliseconds(50), maximum: .seconds(2), jitter: .equal)

    let configuration: PostgresConfiguration
    let logger: Logger
    let counters: PostgresConnectionCounters
    let reconnectTimeout: Duration
    private unowned let worker: PostgresWorker
    private(set) var connection: LibPQConnection?

    init(
        configuration: PostgresConfiguration, logger: Logger, counters: PostgresConnectionCounters,
        reconnectTimeout: Duration, worker: PostgresWorker
    ) {
        self.configuration = configuration
        self.logger = logger
        self.counters = counters
        self.reconnectTimeout = reconnectTimeout
        self.worker = worker
    }

    /// The first connection: no retries, so a wrong URL or password fails fast.
    func connectFirst() throws {
        let connection = try LibPQConnection.connect(configuration: configuration, logger: logger)
        self.connection = connection
        logger.debug("Connected to PostgreSQL", metadata: [PostgresLogKey.backendPID: "\(connection.backendPID)"])
    }

    func close() {
        connection?.finish()
        connection = nil
    }

    // MARK: Transactions

    /// Runs `body` between BEGIN and COMMIT, retrying the whole body on 40001/40P01 (up to `maxAttempts` in all)
    /// and on connection loss (reconnecting until `reconnectTimeout` has passed since the first loss).
    func transaction<T>(
        isolation: PostgresIsolation, maxAttempts: Int, cancellation: PostgresCancellation,
        body: (PostgresTransaction) throws -> T
    ) throws -> T {
        var attempt = 1
        var lossDeadline: ContinuousClock.Instant?
        while true {
            try checkInterrupted(cancellation)
            do {
                let connection = try connected(lossDeadline: &lossDeadline, cancellation: cancellation)
                return try attemptTransaction(on: connection, isolation: isolation, body: body)
            } catch let error as PostgresError where error.isConnectionLoss {
                try handleConnectionLoss(error, lossDeadline: &lossDeadline)
            } catch let error as PostgresError where error.isRetryableTransaction {
                guard attempt < max(1, maxAttempts) else {
                    logger.warning(
                        "Transaction failed after all attempts",
                        metadata: [
                            PostgresLogKey.attempt: "\(attempt)", PostgresLogKey.sqlState: "\(error.sqlState ?? "")",
                        ]
                    )
                    throw error
                }
                attempt += 1
                counters.retries.add(1, ordering: .relaxed)
                // Jittered exponential backoff: up to 1, 2, 4, ... ms, at most 100 ms, so that two conflicting
                // transactions are unlikely to collide again.
                let delay = Self.transactionRetryBackoff.delay(forAttempt: attempt - 2)
                logger.debug(
                    "Retrying transaction",
                    metadata: [
                        PostgresLogKey.attempt: "\(attempt)", PostgresLogKey.sqlState: "\(error.sqlState ?? "")",
                        PostgresLogKey.delay: "\(delay.inMilliseconds)",
                    ]
                )
                try sleep(delay, cancellation: cancellation)
            }
        }
    }

    private func attemptTransaction<T>(
        on connection: LibPQConnection, isolation: PostgresIsolation, body: (PostgresTransaction) throws -> T
    ) throws -> T {
        // BEGIN goes out with the body's first statement.
        let transaction = PostgresTransaction(connection: connection, begin: isolation.beginStatement)
        defer { transaction.invalidate() }
        let value: T
        do {
            value = try body(transaction)
        } catch {
            // A body that wrapped a retryable database error in its own error type still gets the retry, as long as
            // that failure is what doomed the transaction.
            let doomed = !connection.isHealthy || connection.transactionStatus == .inError
            rollback(connection)
            if !(error is PostgresError), doomed, let failure = transaction.lastFailure,
                failure.isRetryableTransaction || failure.isConnectionLoss
            {
                throw failure
            }
            throw error
        }
        switch connection.transactionStatus {
        case .inTransaction:
            break
        case .inError:
            // The body caught a database error and carried on: the transaction cannot commit.
            rollback(connection)
            throw transaction.lastFailure
                ?? PostgresError(code: .queryFailed, operation: "commit", context: "transaction was aborted")
        case .idle, .active, .unknown:
            if !connection.isHealthy {
                throw transaction.lastFailure ?? PostgresError(code: .connectionLost, operation: "commit")
            }
        }
        do {
            // Enqueued statements and COMMIT: a failure among them leaves the transaction aborted, not ended.
            try transaction.commit()
        } catch {
            rollback(connection)
            throw error
        }
        for action in transaction.committedActions { action() }
        return value
    }

    /// Best effort: a broken connection rolls back on the server by itself.
    private func rollback(_ connection: LibPQConnection) {
        guard connection.isHealthy, connection.transactionStatus != .idle else { return }
        do {
            _ = try connection.executeSimple("ROLLBACK", operation: "rollback")
        } catch {
            logger.debug("ROLLBACK failed", metadata: [PostgresLogKey.errorCode: "\(error)"])
        }
    }

    // MARK: Autocommit

    /// Runs one autocommit operation, reconnecting and repeating it after a connection loss.
    func autocommit<T>(
        cancellation: PostgresCancellation, _ work: (LibPQConnection) throws -> T
    ) throws -> T {
        var lossDeadline: ContinuousClock.Instant?
        while true {
            try checkInterrupted(cancellation)
            do {
                let connection = try connected(lossDeadline: &lossDeadline, cancellation: cancellation)
                return try work(connection)
            } catch let error as PostgresError where error.isConnectionLoss {
                try handleConnectionLoss(error, lossDeadline: &lossDeadline)
            }
        }
    }

    // MARK: Connection loss

    private func handleConnectionLoss(_ error: PostgresError, lossDeadline: inout ContinuousClock.Instant?) throws {
        connection?.finish()
        connection = nil
        let now = ContinuousClock.now
        let deadline = lossDeadline ?? now + reconnectTimeout
        lossDeadline = deadline
        guard now < deadline else { throw error }
        counters.retries.add(1, ordering: .relaxed)
        var metadata: Logger.Metadata = [
            PostgresLogKey.operation: "\(error.operation)", PostgresLogKey.sqlState: "\(error.sqlState ?? "")",
        ]
        if error.operation == "commit" {
            // COMMIT was sent but its reply was lost: the transaction may or may not have committed. The body runs
            // again, which is safe only for idempotent bodies (see `PostgresConnection.transaction`).
            metadata[PostgresLogKey.commitOutcome] = "unknown"
        }
        logger.warning("PostgreSQL connection lost; reconnecting and retrying", metadata: metadata)
    }

    /// The current connection, or a new one made with jittered exponential backoff until the loss deadline.
    private func connected(
        lossDeadline: inout ContinuousClock.Instant?, cancellation: PostgresCancellation
    ) throws -> LibPQConnection {
        if let connection, connection.isHealthy {
            if connection.transactionStatus != .idle {
                // Not expected (every job ends its transaction), but never start work inside a stale one.
                rollback(connection)
            }
            if connection.transactionStatus == .idle {
                try connection.trimStatementCacheIfNeeded()
                return connection
            }
        }
        connection?.finish()
        connection = nil
        var attempts = 0
        while true {
            try checkInterrupted(cancellation)
            attempts += 1
            do {
                let connection = try LibPQConnection.connect(configuration: configuration, logger: logger)
                self.connection = connection
                counters.reconnects.add(1, ordering: .relaxed)
                logger.info(
                    "Reconnected to PostgreSQL",
                    metadata: [
                        PostgresLogKey.attempt: "\(attempts)", PostgresLogKey.backendPID: "\(connection.backendPID)",
                    ]
                )
                return connection
            } catch let error as PostgresError {
                let now = ContinuousClock.now
                let deadline = lossDeadline ?? now + reconnectTimeout
                lossDeadline = deadline
                let jittered = Self.reconnectBackoff.delay(forAttempt: attempts - 1)
                guard now + jittered < deadline else {
                    logger.error(
                        "Could not reconnect to PostgreSQL",
                        metadata: [PostgresLogKey.attempt: "\(attempts)", PostgresLogKey.errorCode: "\(error.code)"]
                    )
                    throw error
                }
                logger.debug(
                    "Reconnect attempt failed",
                    metadata: [
                        PostgresLogKey.attempt: "\(attempts)",
                        PostgresLogKey.delay: "\(jittered.inMilliseconds)",
                    ]
                )
                try sleep(jittered, cancellation: cancellation)
            }
        }
    }

    /// Checked before each attempt: jobs queued before `close()` still run.
    private func checkInterrupted(_ cancellation: PostgresCancellation) throws {
        if cancellation.isCancelled { throw CancellationError() }
    }

    /// Checked while waiting to retry: cancellation, or a `close()` waiting behind this job, ends the wait.
    private func checkWaitInterrupted(_ cancellation: PostgresCancellation) throws {
        if cancellation.isCancelled { throw CancellationError() }
        if worker.isClosing { throw PostgresError(code: .closed, operation: "retry") }
    }

    /// Sleeps on the worker thread in short slices, waking early for cancellation or close.
    private func sleep(_ duration: Duration, cancellation: PostgresCancellation) throws {
        let end = ContinuousClock.now + duration
        while true {
            try checkWaitInterrupted(cancellation)
            let remaining = end - ContinuousClock.now
            guard remaining > .zero else { return }
            let slice = min(remaining, .milliseconds(50))
            Thread.sleep(forTimeInterval: slice.inSeconds)
        }
    }
}
