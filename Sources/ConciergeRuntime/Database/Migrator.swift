public import ConciergePostgres
import Foundation
public import Logging

/// Applies the versioned SQL migrations of several modules' ``MigrationSet``s, in one global order, each in its own
/// transaction under a transaction-level advisory lock, recording each with its namespace in `schema_migrations`.
/// Applying twice is a no-op; a migration whose file changed after it was applied is reported as an error (edit
/// history, don't rewrite it).
///
/// Order: versions are global, unique across all sets, and migrations run in ascending version order whatever set
/// they come from. That is the order every database recorded before namespaces went through, so a fresh database
/// and an upgraded one get the same schema; and a migration that touches another module's tables (grants to the
/// worker roles, erasure, views over several modules) runs after them because it has a higher number.
///
/// Numbering rule for a new migration (the one place it is written down):
/// - Put the file in the `Migrations/` folder of the module that owns the tables it changes; one that spans modules
///   (roles and grants, erasure and retention, reads across modules) goes in the fleet set (`ConciergeSchema`).
/// - Give it a version above every migration it depends on, in practice above the highest version in any set.
///   Engineers working in parallel take a range of their own (e.g. 0080-0089) so merges never collide; two sets
///   holding the same version are rejected when the migrator is built.
/// - Never renumber, rename or edit an applied file: its checksum is recorded. Moving it unchanged to another
///   module is fine; the next run records the new namespace.
///
/// Records from before namespaces (namespace NULL) are adopted by the migration with the same version and checksum,
/// which is not applied again.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Hashable {
        /// The set it belongs to; given by its ``MigrationSet``.
        public internal(set) var namespace: String
        public var version: Int
        public var name: String
        public var sql: String
        public var checksum: String

        public init(version: Int, name: String, sql: String) {
            self.namespace = ""
            self.version = version
            self.name = name
            self.sql = sql
            self.checksum = Migrator.checksum(sql)
        }
    }

    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            public let rawValue: String
            private init(_ rawValue: String) { self.rawValue = rawValue }
            public var description: String { self.rawValue }

            /// A module's resource bundle (its `Migrations/` folder) was not found.
            public static let missingResources = Code("missing_resources")
            /// A file is not named `NNNN_name.sql`.
            public static let invalidFileName = Code("invalid_file_name")
            /// A namespace is empty or not `[a-z0-9_]+`.
            public static let invalidNamespace = Code("invalid_namespace")
            /// Two sets share a namespace.
            public static let duplicateNamespace = Code("duplicate_namespace")
            /// Two migrations (in one set or in two) share a version.
            public static let duplicateVersion = Code("duplicate_version")
            /// An applied migration's file changed afterwards.
            public static let checksumMismatch = Code("checksum_mismatch")
        }

        public var code: Code
        public var description: String
    }

    /// Key of the advisory lock that serialises concurrent `migrate` runs.
    static let lockKey: Int64 = 0x636f_6e63_6965_7267  // "concierg"

    /// Every migration of every set, in the order they apply (ascending version).
    public let migrations: [Migration]

    /// The migrations of `sets`; throws when a namespace or a version appears twice.
    public init(_ sets: [MigrationSet]) throws {
        var namespaces: Set<String> = []
        for set in sets where !namespaces.insert(set.namespace).inserted {
            throw Error(
                code: .duplicateNamespace, description: "two migration sets have the namespace '\(set.namespace)'")
        }
        try self.init(migrations: sets.flatMap { try $0.load() })
    }

    /// `migrations` in version order; throws when a version appears twice.
    public init(migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.version == later.version {
            throw Error(
                code: .duplicateVersion,
                description:
                    "migration version \(later.version) is both \(earlier.namespace)/\(earlier.name) and \(later.namespace)/\(later.name)"
            )
        }
        self.migrations = sorted
    }

    static func load(_ url: URL) throws -> Migration {
        let file = url.lastPathComponent
        guard let underscore = file.firstIndex(of: "_"), let version = Int(file[..<underscore]) else {
            throw Error(code: .invalidFileName, description: "migration file '\(file)' must be named NNNN_name.sql")
        }
        let sql = try String(contentsOf: url, encoding: .utf8)
        let name = String(file[file.index(after: underscore)...].dropLast(4))
        return Migration(version: version, name: name, sql: sql)
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

    /// What one migration's transaction did.
    private enum Outcome {
        case applied
        case adopted(from: String?)
        case present
    }

    /// Applies what is missing and records the namespace of what was recorded without it (or under another);
    /// returns the versions applied by this call.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        // Under the lock too: concurrent first runs would otherwise race on creating the table. `namespace` is NULL
        // in records written before namespaces (and by older binaries during a rolling upgrade); never NOT NULL.
        try await connection.transaction { transaction in
            try transaction.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            try transaction.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS namespace text
                """
            )
        }
        var applied: [Int] = []
        for migration in self.migrations {
            let outcome = try await connection.transaction { transaction -> Outcome in
                try transaction.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
                let existing = try transaction.query(
                    "SELECT checksum, namespace FROM schema_migrations WHERE version = $1", [migration.version]
                )
                if let row = existing.first {
                    let checksum = try row.decode(String.self, named: "checksum")
                    let namespace = try row.decode(String?.self, named: "namespace")
                    guard checksum == migration.checksum else {
                        throw Error(
                            code: .checksumMismatch,
                            description:
                                "migration \(migration.namespace)/\(migration.version)_\(migration.name) changed after it was applied"
                        )
                    }
                    guard namespace == migration.namespace else {
                        try transaction.execute(
                            "UPDATE schema_migrations SET namespace = $2 WHERE version = $1",
                            [migration.version, migration.namespace]
                        )
                        return .adopted(from: namespace)
                    }
                    return .present
                }
                try transaction.executeScript(migration.sql)
                try transaction.execute(
                    "INSERT INTO schema_migrations (version, namespace, name, checksum) VALUES ($1, $2, $3, $4)",
                    [migration.version, migration.namespace, migration.name, migration.checksum]
                )
                return .applied
            }
            let metadata: Logger.Metadata = [
                "migration.namespace": "\(migration.namespace)", "migration.version": "\(migration.version)",
                "migration.name": "\(migration.name)",
            ]
            switch outcome {
            case .applied:
                logger.info("applied migration", metadata: metadata)
                applied.append(migration.version)
            case .adopted(let previous):
                logger.info(
                    "recorded migration's namespace",
                    metadata: metadata.merging(["migration.previous_namespace": "\(previous ?? "none")"]) { $1 })
            case .present:
                break
            }
        }
        return applied
    }
}
