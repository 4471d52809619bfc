/// The handle a ``PostgresConnection/transaction(isolation:maxAttempts:_:)`` body uses to run statements.
///
/// Valid only while the body runs, on the connection's thread: it is not `Sendable`, and any use after the body
/// returned throws ``PostgresError/Code/closed``.
///
/// Statements travel in as few network round trips as possible: `BEGIN` waits for the body's first statement,
/// ``queries(_:)`` sends several statements at once, and ``enqueue(_:_:then:)`` holds a statement whose result is not
/// needed right away until the next statement that must be answered, or until `COMMIT`. A body that only reads, then
/// enqueues its writes, costs three round trips: `BEGIN` with the first reads, the other reads, the writes with `COMMIT`.
public final class PostgresTransaction {
    private var connection: LibPQConnection?
    /// Statements sent with the next round trip, with what to do with each one's result.
    private var pending: [(step: LibPQConnection.PipelineStep, then: ((PostgresResult) -> Void)?)]
    /// Whether anything (including `BEGIN`) has reached the server yet.
    private var started = false
    /// The last database error a statement threw, so the transaction can tell a doomed transaction (and its
    /// retryable cause) from a body's own error.
    private(set) var lastFailure: PostgresError?
    /// Work registered with ``afterCommit(_:)``, run once this attempt has committed.
    private(set) var committedActions: [() -> Void] = []

    init(connection: LibPQConnection, begin: String) {
        self.connection = connection
        self.pending = [(LibPQConnection.PipelineStep(sql: begin, parameters: []), nil)]
    }

    func invalidate() {
        connection = nil
    }

    /// Runs one statement with parameters (`$1`, `$2`, ...) over the extended protocol and returns its rows
    /// (together with any enqueued statements, in one round trip).
    ///
    /// Each distinct SQL text is prepared once per connection and reused (and prepared again after a reconnect), so
    /// keep values out of the SQL text. Parameters and results use the text format.
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresResult {
        guard let result = try flush([PostgresStatement(sql, parameters)]).last else {
            throw PostgresError(code: .decodingFailed, operation: "query", context: "the pipeline returned no result")
        }
        return result
    }

    /// Runs several statements in one round trip (a libpq pipeline) and returns their results in order. The first
    /// failing statement's error is thrown; the statements after it do not run.
    public func queries(_ statements: [PostgresStatement]) throws -> [PostgresResult] {
        try flush(statements)
    }

    /// Runs one statement like ``query(_:_:)`` and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Queues a statement whose result is not needed now: it is sent with the next ``query(_:_:)``,
    /// ``queries(_:)`` or ``execute(_:_:)``, or with `COMMIT`, and `then` receives its result when it arrives.
    ///
    /// A failure of a queued statement is thrown by the call that sends it (the `COMMIT` included), and dooms the
    /// transaction like any other failure.
    public func enqueue(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], then: ((PostgresResult) -> Void)? = nil
    ) {
        pending.append((LibPQConnection.PipelineStep(sql: sql, parameters: parameters), then))
    }

    /// Registers work to run once this transaction has committed (metrics, notices to the outside world), on the
    /// connection's thread, before `transaction` returns. Nothing registered runs when the attempt rolls back: a body
    /// that is run again after a serialization failure, a deadlock or a lost connection registers its work again,
    /// so it happens exactly once for the attempt that committed. (When COMMIT's reply is lost the outcome is
    /// unknown and the body runs again; the actions of the lost attempt do not run.)
    public func afterCommit(_ action: @escaping () -> Void) {
        committedActions.append(action)
    }

    /// Runs several statements without parameters over the simple-query protocol, inside this transaction (for
    /// migrations and DDL). Never build values into `sql`: use ``query(_:_:)`` for anything with values. The script
    /// must not end the transaction (no `COMMIT`/`ROLLBACK`).
    public func executeScript(_ sql: String) throws {
        guard let connection else { throw PostgresError(code: .closed, operation: "script") }
        try flush([])
        do {
            _ = try connection.executeSimple(sql, operation: "script")
        } catch let error as PostgresError {
            lastFailure = error
            throw error
        }
    }

    /// Sends what is queued and `COMMIT` in one round trip. Does nothing when the body never ran a statement.
    func commit() throws {
        if !started && pending.count == 1 { return }
        let results = try flush([PostgresStatement("COMMIT")], operation: "commit")
        if results.last?.commandTag == "ROLLBACK" {
            throw PostgresError(code: .queryFailed, operation: "commit", context: "server rolled back the transaction")
        }
    }

    /// Sends the queued statements followed by `statements`; hands the queued ones their results and returns the
    /// results of `statements`.
    @discardableResult
    private func flush(_ statements: [PostgresStatement], operation: String = "execute") throws -> [PostgresResult] {
        guard let connection else { throw PostgresError(code: .closed, operation: operation) }
        if pending.isEmpty && statements.isEmpty { return [] }
        let queued = pending
        pending.removeAll(keepingCapacity: true)
        started = true
        let steps =
            queued.map(\.step) + statements.map { LibPQConnection.PipelineStep(sql: $0.sql, parameters: $0.parameters) }
        let results: [PostgresResult]
        do {
            if steps.count == 1 {
                results = [try connection.executePrepared(steps[0].sql, steps[0].parameters, operation: operation)]
            } else {
                results = try connection.executePipeline(steps, operation: operation)
            }
        } catch let error as PostgresError {
            lastFailure = error
            throw error
        }
        for (entry, result) in zip(queued, results) {
            entry.then?(result)
        }
        return Array(results.dropFirst(queued.count))
    }
}

@available(*, unavailable, message: "A transaction handle is used only inside its transaction's body")
extension PostgresTransaction: Sendable {}

/// A statement and its parameters, for ``PostgresTransaction/queries(_:)``.
public struct PostgresStatement {
    /// The SQL text with placeholders `$1`, `$2`, ...
    public var sql: String
    /// The values of the placeholders.
    public var parameters: [any PostgresEncodable]

    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
