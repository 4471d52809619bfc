public import Logging
import Synchronization

/// One libpq connection owned by one dedicated thread; async callers hand work to that thread.
///
/// Every libpq call runs on the connection's own thread, never on Swift's cooperative pool; callers await the result.
/// Calls are served one at a time in order, so use one connection per concurrent flow (a worker pipeline, a health
/// check) rather than sharing one for parallelism.
///
/// **Retries and at-least-once execution.** ``transaction(isolation:maxAttempts:_:)`` runs its body again after a
/// serialization failure (40001) or deadlock (40P01), and after the connection was lost (class 08, 57P01–57P03, or
/// libpq's `CONNECTION_BAD`), reconnecting with jittered exponential backoff for up to `reconnectTimeout`. When the
/// connection drops after `COMMIT` was sent but before its reply arrived, the outcome is unknown: the transaction may
/// have committed. This client then retries the body too (logged as a warning with `db.commit_outcome=unknown`), so
/// a body must be idempotent — for example, keyed by a unique id with `INSERT ... ON CONFLICT DO NOTHING` or an
/// inbox table — and derived only from its inputs and what it reads from the database. The same holds for
/// ``query(_:_:)`` and ``executeScript(_:)`` in autocommit mode.
///
/// **Metrics.** ``retryCount`` counts every repeated attempt (transaction retries after 40001/40P01 and repeats after
/// a connection loss); ``reconnectCount`` counts successful reconnects. Poll them from a metrics task.
///
/// **Closing.** Call ``close()``; work queued before it still runs, later calls throw ``PostgresError/Code/closed``.
/// Dropping the last reference without closing closes the connection in the background as a backstop.
public final class PostgresConnection: Sendable {
    /// The configuration this connection was made with.
    public let configuration: PostgresConfiguration
    /// How long a call keeps reconnecting after the connection was lost before it gives up.
    public let reconnectTimeout: Duration
    private let worker: PostgresWorker
    private let counters: PostgresConnectionCounters

    private init(
        configuration: PostgresConfiguration, reconnectTimeout: Duration, worker: PostgresWorker,
        counters: PostgresConnectionCounters
    ) {
        self.configuration = configuration
        self.reconnectTimeout = reconnectTimeout
        self.worker = worker
        self.counters = counters
    }

    deinit {
        _ = worker.submitFinal { session in
            session.close()
            return {}
        }
    }

    /// Opens a connection on a new dedicated thread.
    ///
    /// The first connection attempt is not retried, so a wrong address or password fails fast. The session uses
    /// `client_encoding` UTF8, `TimeZone` UTC and ISO dates.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect.
    ///   - logger: Receives connection events with `db.host`, `db.port`, `db.name`, `db.user` metadata; never the
    ///     password or parameter values.
    ///   - reconnectTimeout: How long a call keeps reconnecting after a connection loss (default 60 s).
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/connectionFailed``.
    public static func connect(
        configuration: PostgresConfiguration, logger: Logger, reconnectTimeout: Duration = .seconds(60)
    ) async throws -> PostgresConnection {
        var logger = logger
        logger[metadataKey: PostgresLogKey.host] = "\(configuration.host)"
        logger[metadataKey: PostgresLogKey.port] = "\(configuration.port)"
        logger[metadataKey: PostgresLogKey.database] = "\(configuration.database)"
        logger[metadataKey: PostgresLogKey.user] = "\(configuration.user)"
        let counters = PostgresConnectionCounters()
        let worker = PostgresWorker()
        let sessionLogger = logger
        worker.start(name: "postgres \(configuration.database)") { worker in
            PostgresSession(
                configuration: configuration, logger: sessionLogger, counters: counters,
                reconnectTimeout: reconnectTimeout, worker: worker
            )
        }
        let connection = PostgresConnection(
            configuration: configuration, reconnectTimeout: reconnectTimeout, worker: worker, counters: counters
        )
        do {
            try await connection.perform(operation: "connect") { session, _ in
                try session.connectFirst()
            }
        } catch {
            let code = (error as? PostgresError)?.code.description ?? "\(type(of: error))"
            logger.error("Could not connect to PostgreSQL", metadata: [PostgresLogKey.errorCode: "\(code)"])
            await connection.close()
            throw error
        }
        logger.info("Connected to PostgreSQL")
        return connection
    }

    /// Runs `body` on the connection's thread between `BEGIN [ISOLATION LEVEL ...]` and `COMMIT` (`ROLLBACK` when it
    /// throws), and returns its value.
    ///
    /// Retries the WHOLE body on 40001/40P01, up to `maxAttempts` attempts in all with a small jittered backoff, and,
    /// on connection loss (08xxx, 57P01–57P03, `CONNECTION_BAD`), reconnects with jittered exponential backoff for up
    /// to ``reconnectTimeout`` and retries; prepared statements are prepared again on the new connection. The body
    /// may therefore run more than once — and, when a `COMMIT`'s reply was lost, after its effects were already
    /// committed (see the type's documentation) — so it must be idempotent and derived only from its inputs and the
    /// database.
    ///
    /// The body runs synchronously on the connection's thread (one hop for the whole transaction); it must not block
    /// for long on anything but the database. If it catches a statement's error and returns normally, the
    /// transaction is still rolled back and that error thrown (the server aborted the transaction), unless the body
    /// recovered with a savepoint. A body error that wraps a retryable database error is retried like that error.
    ///
    /// - Throws: The body's error, a ``PostgresError``, or `CancellationError` if the task was cancelled before an
    ///   attempt or while waiting to retry.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted,
        maxAttempts: Int = 8,
        _ body: @Sendable (PostgresTransaction) throws -> T
    ) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            try await perform(operation: "transaction") { session, cancellation in
                try session.transaction(
                    isolation: isolation, maxAttempts: maxAttempts, cancellation: cancellation, body: body
                )
            }
        }
    }

    /// Runs one statement in autocommit mode over the extended protocol (prepared once per connection, text format).
    ///
    /// After a connection loss it reconnects and runs the statement again (at-least-once: see the type's
    /// documentation). Serialization failures and deadlocks are not retried here; use a transaction for that.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresResult {
        try await perform(operation: "execute") { session, cancellation in
            try session.autocommit(cancellation: cancellation) { connection in
                try connection.executePrepared(sql, parameters)
            }
        }
    }

    /// Runs several statements without parameters over the simple-query protocol (migrations, DDL). Never build
    /// values into `sql`. Without an explicit `BEGIN`/`COMMIT`, the statements run in one implicit transaction.
    public func executeScript(_ sql: String) async throws {
        try await perform(operation: "script") { session, cancellation in
            try session.autocommit(cancellation: cancellation) { connection in
                _ = try connection.executeSimple(sql, operation: "script")
            }
        }
    }

    /// Repeated attempts so far: transaction retries after 40001/40P01 plus repeats after a connection loss.
    public var retryCount: Int { counters.retries.load(ordering: .relaxed) }

    /// Successful reconnects after a connection loss so far.
    public var reconnectCount: Int { counters.reconnects.load(ordering: .relaxed) }

    /// Finishes queued work, closes the libpq connection and ends the thread. Idempotent.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let accepted = worker.submitFinal { session in
                session.close()
                return { continuation.resume() }
            }
            if !accepted { continuation.resume() }
        }
    }

    /// Hands `work` to the connection's thread and awaits its result.
    private func perform<T: Sendable>(
        operation: String,
        _ work: @escaping @Sendable (PostgresSession, PostgresCancellation) throws -> T
    ) async throws -> T {
        let cancellation = PostgresCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                if !submit(work, cancellation: cancellation, continuation: continuation) {
                    continuation.resume(throwing: PostgresError(code: .closed, operation: operation))
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Separate so that the job closure (which may hold a `withoutActuallyEscaping` body) is released when it
    /// returns, before a refused job's continuation is resumed.
    private func submit<T: Sendable>(
        _ work: @escaping @Sendable (PostgresSession, PostgresCancellation) throws -> T,
        cancellation: PostgresCancellation,
        continuation: CheckedContinuation<T, any Error>
    ) -> Bool {
        worker.submit { session in
            let result = Result { try work(session, cancellation) }
            return { continuation.resume(with: result) }
        }
    }
}
