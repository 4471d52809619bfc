/// The handle a ``PostgresConnection/transaction(isolation:maxAttempts:_:)`` body uses to run statements.
///
/// Valid only while the body runs, on the connection's thread: it is not `Sendable`, and any use after the body
/// returned throws ``PostgresError/Code/closed``.
public final class PostgresTransaction {
    private var connection: LibPQConnection?
    /// The last database error a statement threw, so the transaction can tell a doomed transaction (and its
    /// retryable cause) from a body's own error.
    private(set) var lastFailure: PostgresError?

    init(connection: LibPQConnection) {
        self.connection = connection
    }

    func invalidate() {
        connection = nil
    }

    /// Runs one statement with parameters (`$1`, `$2`, ...) over the extended protocol and returns its rows.
    ///
    /// Each distinct SQL text is prepared once per connection and reused (and prepared again after a reconnect), so
    /// keep values out of the SQL text. Parameters and results use the text format.
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresResult {
        guard let connection else { throw PostgresError(code: .closed, operation: "execute") }
        do {
            return try connection.executePrepared(sql, parameters)
        } catch let error as PostgresError {
            lastFailure = error
            throw error
        }
    }

    /// Runs one statement like ``query(_:_:)`` and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs several statements without parameters over the simple-query protocol, inside this transaction (for
    /// migrations and DDL). Never build values into `sql`: use ``query(_:_:)`` for anything with values. The script
    /// must not end the transaction (no `COMMIT`/`ROLLBACK`).
    public func executeScript(_ sql: String) throws {
        guard let connection else { throw PostgresError(code: .closed, operation: "script") }
        do {
            _ = try connection.executeSimple(sql, operation: "script")
        } catch let error as PostgresError {
            lastFailure = error
            throw error
        }
    }
}

@available(*, unavailable, message: "A transaction handle is used only inside its transaction's body")
extension PostgresTransaction: Sendable {}
