import ConciergePostgres
import ConciergeTesting
import Foundation
import Logging
import Testing

/// Shared setup for the integration suites: the database URL from `CONCIERGE_TEST_POSTGRES_URL`, the
/// reachability gate (skipped when unreachable unless `CONCIERGE_TEST_SERVICES=require`), and one schema per test.
enum PostgresTestDatabase {
    static let url =
        ProcessInfo.processInfo.environment["CONCIERGE_TEST_POSTGRES_URL"]
        ?? "postgres://concierge:concierge@127.0.0.1:5432/concierge_test"

    static let isRequired = ProcessInfo.processInfo.environment["CONCIERGE_TEST_SERVICES"] == "require"

    static let logger = Logger(label: "concierge.postgres.tests") { _ in SwiftLogNoOpLogHandler() }

    /// True when the database server answers; always true when services are required, so that tests then fail loudly.
    static func isAvailable() async -> Bool {
        guard !isRequired, let configuration = try? PostgresConfiguration(url: url) else { return true }
        return TestServices.reachable(host: configuration.host, port: configuration.port)
    }

    static func connect(
        reconnectTimeout: Duration = .seconds(60), logger: Logger = logger
    ) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: PostgresConfiguration(url: url, applicationName: "concierge-postgres-tests"),
            logger: logger, reconnectTimeout: reconnectTimeout
        )
    }

    /// Runs `body` with a connection, then closes it.
    static func withConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await connect()
        do {
            try await body(connection)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// Runs `body` with a connection and a fresh schema, then drops the schema and closes the connection.
    static func withSchema(_ body: (PostgresConnection, String) async throws -> Void) async throws {
        let connection = try await connect()
        let schema = "pgtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await connection.executeScript("CREATE SCHEMA \(schema)")
        do {
            try await body(connection, schema)
        } catch {
            try? await connection.executeScript("DROP SCHEMA \(schema) CASCADE")
            await connection.close()
            throw error
        }
        try await connection.executeScript("DROP SCHEMA \(schema) CASCADE")
        await connection.close()
    }
}
