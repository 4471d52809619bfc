/// The rows (text format) and row count of one statement.
///
/// Values are copied out of libpq into one contiguous buffer when the statement completes; strings are built only
/// when a column is decoded.
public struct PostgresResult: Sendable, RandomAccessCollection {
    let storage: PostgresResultStorage

    /// The number of rows the statement inserted, updated, deleted, selected, ... (`PQcmdTuples`; 0 when the
    /// command reports none).
    public var affectedRows: Int

    /// The server's command tag, such as `INSERT 0 3` or `COMMIT`.
    public var commandTag: String

    init(storage: PostgresResultStorage, affectedRows: Int, commandTag: String) {
        self.storage = storage
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The result columns' names, in order.
    public var columnNames: [String] { storage.columnNames }

    /// All rows. Prefer iterating the result itself, which creates no array.
    public var rows: [PostgresRow] { Array(self) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < storage.rowCount, "row index out of range")
        return PostgresRow(storage: storage, row: position)
    }
}

extension PostgresResult {
    /// The one row of a statement that must return exactly one (an `INSERT … RETURNING` of one row, a `count(*)`).
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/decodingFailed`` when there are none or several.
    public func single() throws -> PostgresRow {
        guard self.count == 1 else {
            throw PostgresError(
                code: .decodingFailed, operation: "decode", context: "expected one row, got \(self.count)")
        }
        return self[0]
    }
}
