/// One row of a ``PostgresResult``, decoded column by column.
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    let row: Int

    /// The result columns' names, in order.
    public var columnNames: [String] { storage.columnNames }

    /// Decodes the column at a zero-based position.
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/decodingFailed`` when the position is out of range,
    ///   the column is SQL NULL and `T` is not optional, or the text is not valid for `T`. The error names the
    ///   column and type, never the value.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        guard column >= 0, column < storage.columnNames.count else {
            throw PostgresError.decoding("column \(column) out of range (\(storage.columnNames.count) columns)")
        }
        do {
            return try T.decodePostgres(storage.text(row: row, column: column))
        } catch var error as PostgresError {
            error.context = "column \(column) (\(storage.columnNames[column])) as \(T.self): \(error.context ?? "")"
            throw error
        }
    }

    /// Decodes the first column with this name.
    ///
    /// An expression column is named by its `AS` alias (PostgreSQL would call it `?column?`, `count`, `coalesce`, ...).
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/decodingFailed`` when no column has this name (the
    ///   error lists the result's column names, never a value), or as ``decode(_:at:)``.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, named name: String) throws -> T {
        guard let column = storage.columnIndex[name] else {
            throw PostgresError.decoding(
                "no column named \(name); the columns are \(storage.columnNames.joined(separator: ", "))")
        }
        return try decode(T.self, at: column)
    }

    /// Whether the column at a zero-based position is SQL NULL (false when out of range).
    public func isNull(at column: Int) -> Bool {
        guard column >= 0, column < storage.columnNames.count else { return false }
        return storage.isNull(row: row, column: column)
    }
}
