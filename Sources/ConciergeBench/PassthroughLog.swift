public import ConciergePostgres

/// The `passthrough_log` rows a pass-through worker wrote (one per applied message, no unique constraint, so a
/// message applied twice shows as two rows): how `bench passthrough` checks exactly-once, and cleans up after itself.
public enum PassthroughLog {
    /// Rows and distinct message ids applied by `consumer`.
    public struct Applied: Equatable, Sendable {
        public var rows: Int
        public var distinct: Int

        public init(rows: Int, distinct: Int) {
            self.rows = rows
            self.distinct = distinct
        }

        /// Every one of `total` messages applied, each exactly once.
        public func isExactlyOnce(total: Int) -> Bool { self.rows == self.distinct && self.distinct == total }
    }

    public static func applied(consumer: String, on database: PostgresConnection) async throws -> Applied {
        let row = try await database.query(
            "SELECT count(*) AS rows, count(DISTINCT message_id) AS distinct_ids FROM passthrough_log WHERE consumer = $1",
            [consumer]
        ).single()
        return Applied(rows: try row.decode(named: "rows"), distinct: try row.decode(named: "distinct_ids"))
    }

    /// Deletes what `consumer` left: its `passthrough_log` rows and its inbox entries.
    public static func clear(consumer: String, on database: PostgresConnection) async throws {
        _ = try await database.query("DELETE FROM passthrough_log WHERE consumer = $1", [consumer])
        _ = try await database.query("DELETE FROM inbox WHERE consumer = $1", [consumer])
    }
}
