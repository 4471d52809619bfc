public import ConciergePostgres
import Foundation
public import Logging

/// Applies the versioned SQL migrations shipped in `Migrations/` (`NNNN_name.sql`), in order, each in its own
/// transaction under a transaction-level advisory lock, recording them in `schema_migrations`. Applying twice is a
/// no-op; a migration whose file changed after it was applied is reported as an error (edit history, don't rewrite it).
public struct Migrator: Sendable {
    public struct Migration: Sendable, Hashable {
        public var version: Int
        public var name: String
        public var sql: String
        public var checksum: String
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    /// Key of the advisory lock that serialises concurrent `migrate` runs.
    static let lockKey: Int64 = 0x636f_6e63_6965_7267  // "concierg"

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The migrations bundled with this module.
    public static func bundled() throws -> Migrator {
        guard let resources = Bundle.module.resourceURL else {
            throw Error(description: "no resource bundle with migrations")
        }
        let directory = resources.appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        return try Migrator(migrations: files.map { try Self.load(directory.appendingPathComponent($0)) })
    }

    static func load(_ url: URL) throws -> Migration {
        let file = url.lastPathComponent
        guard let underscore = file.firstIndex(of: "_"), let version = Int(file[..<underscore]) else {
            throw Error(description: "migration file '\(file)' must be named NNNN_name.sql")
        }
        let sql = try String(contentsOf: url, encoding: .utf8)
        let name = String(file[file.index(after: underscore)...].dropLast(4))
        return Migration(version: version, name: name, sql: sql, checksum: Self.checksum(sql))
    }

    /// FNV-1a 64 of the file's bytes: detects edits, not an adversary.
    static func checksum(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Applies what is missing; returns the versions applied by this call.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        // Under the lock too: concurrent first runs would otherwise race on creating the table.
        try await connection.transaction { transaction in
            try transaction.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            try transaction.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """
            )
        }
        var applied: [Int] = []
        for migration in self.migrations {
            let didApply = try await connection.transaction { transaction in
                try transaction.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
                let existing = try transaction.query(
                    "SELECT checksum FROM schema_migrations WHERE version = $1", [migration.version]
                )
                if let row = existing.first {
                    let checksum = try row.decode(String.self, at: 0)
                    guard checksum == migration.checksum else {
                        throw Error(
                            description: "migration \(migration.version)_\(migration.name) changed after it was applied"
                        )
                    }
                    return false
                }
                try transaction.executeScript(migration.sql)
                try transaction.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum]
                )
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
