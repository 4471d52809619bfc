public import ConciergePostgres
public import ConciergeRuntime

/// `conciergectl dead-letters export`: the selected dead letters as JSON lines (``DeadLetterArchive/jsonLine(_:)``),
/// read a page at a time in id order.
public enum DeadLetterExport {
    /// One line per selected dead letter, oldest first, read `pageSize` rows per query.
    public static func jsonLines(
        _ selection: DeadLetterSelection, pageSize: Int = 1000, on database: PostgresConnection
    ) async throws -> [String] {
        var lines: [String] = []
        var after: Int64 = 0
        while true {
            let page = try await DeadLetterArchive.list(selection, after: after, limit: max(1, pageSize), on: database)
            guard let last = page.last else { break }
            lines += page.map(DeadLetterArchive.jsonLine)
            after = last.id
        }
        return lines
    }
}
