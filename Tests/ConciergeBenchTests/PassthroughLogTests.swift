import ConciergeBench
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Logging
import Testing

/// How `bench passthrough` checks exactly-once, against the real `passthrough_log` (each test its own consumer).
@Suite(.enabled(if: TestServices.enabled))
struct PassthroughLogTests {
    static func database() async throws -> PostgresConnection {
        let logger = Logger(label: "test.passthrough-log")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        return database
    }

    @Test func aMessageAppliedTwiceIsNotExactlyOnceAndClearRemovesTheConsumersRows() async throws {
        let database = try await Self.database()
        let consumer = TestServices.uniqueName("bench-log")
        _ = try await database.query(
            "INSERT INTO passthrough_log (consumer, message_id) SELECT $1, unnest($2::text[])",
            [consumer, ["m1", "m2", "m2", "m3"]]
        )
        let applied = try await PassthroughLog.applied(consumer: consumer, on: database)
        #expect(applied == PassthroughLog.Applied(rows: 4, distinct: 3))
        #expect(!applied.isExactlyOnce(total: 3))
        #expect(PassthroughLog.Applied(rows: 3, distinct: 3).isExactlyOnce(total: 3))
        #expect(!PassthroughLog.Applied(rows: 2, distinct: 2).isExactlyOnce(total: 3))

        try await PassthroughLog.clear(consumer: consumer, on: database)
        #expect(
            try await PassthroughLog.applied(consumer: consumer, on: database)
                == PassthroughLog.Applied(rows: 0, distinct: 0))
        await database.close()
    }
}
