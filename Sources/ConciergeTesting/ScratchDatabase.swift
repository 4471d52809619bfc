public import ConciergePostgres
import Logging

/// A database of one test's own (`concierge` has CREATEDB): created, handed to `body`, dropped whether `body`
/// succeeded or not.
public enum ScratchDatabase {
    public static func with(_ label: String, _ body: (PostgresConnection) async throws -> Void) async throws {
        try await self.with(label) { connection, _ in try await body(connection) }
    }

    /// The same, also handing `body` the scratch database's URL (for a worker built from configuration).
    public static func with(
        _ label: String, _ body: (PostgresConnection, _ url: String) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.scratch")
        let base = try PostgresConfiguration(url: TestServices.postgresURL)
        // Generated from [a-z0-9_]: safe in DDL, which takes no parameters.
        let name = "scratch_\(label)_\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
        let admin = try await PostgresConnection.connect(configuration: base, logger: logger)
        try await admin.executeScript("CREATE DATABASE \(name)")
        var configuration = base
        configuration.database = name
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, logger: logger)
            do {
                try await body(connection, Self.url(database: name))
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        } catch {
            try? await Self.drop(name, admin: admin)
            await admin.close()
            throw error
        }
        try await Self.drop(name, admin: admin)
        await admin.close()
    }

    /// `WITH (FORCE)` ends the database's other sessions, but not an autovacuum worker that a fresh database full of
    /// new tables draws (42501: `must be a member of the role whose process is being terminated`, seen in a run
    /// beside other suites): the drop is tried again while that worker finishes, for up to 10 s.
    public static func drop(_ name: String, admin: PostgresConnection) async throws {
        var attempt = 0
        while true {
            do {
                try await admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return
            } catch let error as PostgresError where error.sqlState == "42501" && attempt < 40 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// `TestServices.postgresURL` naming `database` instead.
    static func url(database: String) -> String {
        let url = TestServices.postgresURL
        let end = url.firstIndex(of: "?") ?? url.endIndex
        guard let slash = url[..<end].lastIndex(of: "/"), url[..<slash].hasSuffix("/") == false else { return url }
        return url[..<url.index(after: slash)] + database + url[end...]
    }
}
