import ConciergePostgres
import ConciergeTesting
import Foundation
import InMemoryLogging
import Logging
import Testing

@Suite(.enabled("PostgreSQL reachable") { await PostgresTestDatabase.isAvailable() })
struct PostgresReconnectTests {
    /// Terminates `connection`'s backend from another connection and waits until it is gone.
    private static func terminateBackend(of connection: PostgresConnection) async throws -> Int {
        let pid = try await connection.query("SELECT pg_backend_pid() AS pid").single().decode(Int.self, named: "pid")
        try await PostgresTestDatabase.withConnection { killer in
            let killed = try await killer.query("SELECT pg_terminate_backend($1) AS killed", [pid]).single().decode(
                Bool.self, named: "killed")
            #expect(killed)
            for _ in 0..<200 {
                let alive = try await killer.query("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", [pid])
                if try alive.single().decode(Int.self, named: "count") == 0 { return }
                try await Task.sleep(for: .milliseconds(25))
            }
            Issue.record("backend \(pid) still alive")
        }
        return pid
    }

    @Test func killedBackendIsReplacedAndPreparedStatementsReprepared() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).events (id int PRIMARY KEY)")
            let insert = "INSERT INTO \(schema).events (id) VALUES ($1)"
            try await connection.transaction { transaction in try transaction.execute(insert, [1]) }

            let oldPID = try await Self.terminateBackend(of: connection)

            // Same SQL text: its prepared statement lived on the dead backend and must be prepared again.
            try await connection.transaction { transaction in try transaction.execute(insert, [2]) }
            #expect(connection.reconnectCount == 1)
            #expect(connection.retryCount == 1)
            let newPID = try await connection.query("SELECT pg_backend_pid() AS pid").single().decode(
                Int.self, named: "pid")
            #expect(newPID != oldPID)
            let ids = try await connection.query("SELECT id FROM \(schema).events ORDER BY id")
            #expect(try ids.map { try $0.decode(Int.self, named: "id") } == [1, 2])
        }
    }

    @Test func pipelinedTransactionIsRetriedOnANewBackend() async throws {
        try await PostgresTestDatabase.withSchema { connection, schema in
            try await connection.executeScript("CREATE TABLE \(schema).events (id int PRIMARY KEY)")
            let insert = "INSERT INTO \(schema).events (id) VALUES ($1)"
            let count = "SELECT count(*) FROM \(schema).events"
            // Prepares both statements on the first backend, inside pipelines.
            try await connection.transaction { transaction in
                _ = try transaction.queries([PostgresStatement(insert, [1]), PostgresStatement(count)])
            }
            _ = try await Self.terminateBackend(of: connection)

            // The first pipeline (BEGIN, the enqueued insert, the count) meets the dead backend; the whole body runs
            // again on a new one, where both statements are prepared again inside the pipeline.
            let seen = try await connection.transaction { transaction in
                transaction.enqueue(insert, [2])
                return try transaction.query(count).single().decode(Int.self, named: "count")
            }
            #expect(seen == 2)
            #expect(connection.reconnectCount == 1)
            let ids = try await connection.query("SELECT id FROM \(schema).events ORDER BY id")
            #expect(try ids.map { try $0.decode(Int.self, named: "id") } == [1, 2])
        }
    }

    @Test func autocommitQueryReconnectsAfterKilledBackendAndLogsIt() async throws {
        let logs = InMemoryLogHandler()
        let logger = logs.logger()
        let connection = try await PostgresTestDatabase.connect(logger: logger)
        _ = try await Self.terminateBackend(of: connection)
        let value = try await connection.query("SELECT $1::int + 1 AS value", [41]).single().decode(
            Int.self, named: "value")
        await connection.close()
        #expect(value == 42)
        #expect(connection.reconnectCount == 1)
        let lost = try #require(logs.entries.first { $0.level == .warning })
        #expect("\(lost.message)".contains("connection lost"))
        #expect(lost.metadata["db.host"] != nil)
        #expect(lost.metadata["db.name"] != nil)
        #expect(lost.metadata["db.sqlstate"] != nil)
        #expect(logs.entries.contains { $0.level == .info && "\($0.message)".contains("Reconnected") })
    }

    /// Connects to a scratch database, then drops it (terminating the backend), so that every reconnect fails.
    private static func withVanishingDatabase(
        reconnectTimeout: Duration, _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withConnection { admin in
            let database = "pgtest_gone_" + UUID().uuidString.prefix(8).lowercased()
            try await admin.executeScript("CREATE DATABASE \(database)")
            var configuration = try PostgresConfiguration(url: PostgresTestDatabase.url)
            configuration.database = database
            let connection = try await PostgresConnection.connect(
                configuration: configuration, logger: PostgresTestDatabase.logger, reconnectTimeout: reconnectTimeout
            )
            try await ScratchDatabase.drop(database, admin: admin)
            do {
                try await body(connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }

    @Test func givesUpAfterReconnectTimeout() async throws {
        try await Self.withVanishingDatabase(reconnectTimeout: .milliseconds(300)) { connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { transaction in try transaction.execute("SELECT 1") }
            }
            #expect(error?.code == .connectionFailed)
            #expect(connection.reconnectCount == 0)
        }
    }

    @Test func cancellationEndsTheReconnectWait() async throws {
        try await Self.withVanishingDatabase(reconnectTimeout: .seconds(600)) { connection in
            let call = Task {
                try await connection.transaction { transaction in try transaction.execute("SELECT 1") }
            }
            try await Task.sleep(for: .milliseconds(300))
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
        }
    }
}
