import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Logging
import Testing

/// The migrator over every module's ``MigrationSet``: order, namespaces, adoption of records from before namespaces,
/// and checksums. Tests that migrate a database use a scratch database of their own (created and dropped here), never
/// the shared one's tables, except `migratingTwiceIsANoOp`, which only migrates it as every suite does.
@Suite(.enabled(if: TestServices.enabled))
struct MigrationTests {
    static let logger = Logger(label: "test.migrate")

    @Test func migratingTwiceIsANoOp() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: Self.logger
        )
        let migrator = try Migrator.fleet()
        _ = try await migrator.migrate(connection, logger: Self.logger)
        let second = try await migrator.migrate(connection, logger: Self.logger)
        #expect(second.isEmpty)
        let recorded = try await Self.recorded(connection)
        for migration in migrator.migrations {
            #expect(recorded[migration.version] == migration.namespace, "\(migration.version)_\(migration.name)")
        }
        await connection.close()
    }

    @Test func freshDatabaseAppliesEverySetInVersionOrder() async throws {
        try await ScratchDatabase.with("fresh") { connection in
            let migrator = try Migrator.fleet()
            let applied = try await migrator.migrate(connection, logger: Self.logger)
            #expect(applied == migrator.migrations.map(\.version))
            #expect(applied == applied.sorted() && applied.first == 1)
            let recorded = try await Self.recorded(connection)
            #expect(
                recorded == Dictionary(uniqueKeysWithValues: migrator.migrations.map { ($0.version, $0.namespace) }))
            // One table of each module's set, and the fleet set's erasure function.
            for table in ["inbox", "customers", "ai_replies", "escalations", "payout_earnings", "agent_credentials"] {
                #expect(
                    try await connection.query("SELECT to_regclass($1) IS NOT NULL AS present", [table]).single()
                        .decode(Bool.self, named: "present"), "\(table)")
            }
            #expect(
                try await connection.query(
                    "SELECT to_regprocedure('concierge_erase_customer(text, text)') IS NOT NULL AS present"
                ).single().decode(Bool.self, named: "present")
            )
            #expect(try await migrator.migrate(connection, logger: Self.logger).isEmpty)
        }
    }

    /// A database migrated before namespaces (every record's namespace unknown, the column absent) and short of the
    /// newest migration: the newest is applied, every other record is adopted by its set, and none is applied again
    /// (which would fail: `CREATE TABLE inbox` on a database that has it).
    @Test func databaseRecordedWithoutNamespacesIsAdoptedNotReapplied() async throws {
        try await ScratchDatabase.with("adopt") { connection in
            let migrator = try Migrator.fleet()
            let newest = try #require(migrator.migrations.last)
            try await Self.migrateTheOldWay(connection, migrator.migrations.dropLast())
            let before = try await connection.query(
                "SELECT version, applied_at::text AS applied_at FROM schema_migrations ORDER BY version"
            )
            .map { try ($0.decode(Int.self, named: "version"), $0.decode(String.self, named: "applied_at")) }

            let applied = try await migrator.migrate(connection, logger: Self.logger)

            #expect(applied == [newest.version])
            let recorded = try await Self.recorded(connection)
            #expect(
                recorded == Dictionary(uniqueKeysWithValues: migrator.migrations.map { ($0.version, $0.namespace) }))
            let after = try await connection.query(
                "SELECT version, applied_at::text AS applied_at FROM schema_migrations WHERE version <> $1 ORDER BY version",
                [newest.version]
            )
            .map { try ($0.decode(Int.self, named: "version"), $0.decode(String.self, named: "applied_at")) }
            #expect(
                after.map(\.0) == before.map(\.0) && after.map(\.1) == before.map(\.1),
                "adopted records keep their time")
            #expect(try await migrator.migrate(connection, logger: Self.logger).isEmpty)
        }
    }

    /// A file moved unchanged to another module: its record follows it to the new namespace.
    @Test func movedMigrationIsRecordedUnderItsNewNamespace() async throws {
        try await ScratchDatabase.with("moved") { connection in
            let table = Migrator.Migration(version: 1, name: "table", sql: "CREATE TABLE moved_t (id integer)")
            try await Migrator([MigrationSet(namespace: "one", migrations: [table])]).migrate(
                connection, logger: Self.logger)
            let applied = try await Migrator([MigrationSet(namespace: "two", migrations: [table])]).migrate(
                connection, logger: Self.logger)
            #expect(applied.isEmpty)
            #expect(try await Self.recorded(connection) == [1: "two"])
        }
    }

    @Test func changedMigrationFailsLoudly() async throws {
        try await ScratchDatabase.with("changed") { connection in
            let original = Migrator.Migration(version: 1, name: "table", sql: "CREATE TABLE changed_t (id integer)")
            try await Migrator([MigrationSet(namespace: "test", migrations: [original])]).migrate(
                connection, logger: Self.logger)
            let edited = Migrator.Migration(version: 1, name: "table", sql: "CREATE TABLE changed_t (id bigint)")
            await #expect(throws: Migrator.Error.self) {
                do {
                    try await Migrator([MigrationSet(namespace: "test", migrations: [edited])]).migrate(
                        connection, logger: Self.logger)
                } catch let error as Migrator.Error {
                    #expect(error.code == .checksumMismatch)
                    throw error
                }
            }
        }
    }

    /// A record from before namespaces is adopted only when its checksum matches; otherwise the run fails and the
    /// record stays as it was.
    @Test func changedMigrationRecordedWithoutNamespaceFailsLoudly() async throws {
        try await ScratchDatabase.with("oldchanged") { connection in
            let original = Migrator.Migration(version: 1, name: "table", sql: "CREATE TABLE oldchanged_t (id integer)")
            try await Self.migrateTheOldWay(connection, [original])
            let edited = Migrator.Migration(version: 1, name: "table", sql: "CREATE TABLE oldchanged_t (id bigint)")
            await #expect(throws: Migrator.Error.self) {
                do {
                    try await Migrator([MigrationSet(namespace: "test", migrations: [edited])]).migrate(
                        connection, logger: Self.logger)
                } catch let error as Migrator.Error {
                    #expect(error.code == .checksumMismatch)
                    throw error
                }
            }
            #expect(
                try await connection.query(
                    "SELECT namespace IS NULL AS unclaimed FROM schema_migrations WHERE version = 1"
                ).single().decode(Bool.self, named: "unclaimed"))
        }
    }

    /// The runtime's set alone brings up the runtime's tables and nothing of the workers'.
    @Test func runtimeSetHoldsOnlyTheRuntimesTables() async throws {
        try await ScratchDatabase.with("runtime") { connection in
            try await Migrator([.runtime]).migrate(connection, logger: Self.logger)
            let tables = try await connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                .map { try $0.decode(String.self, named: "tablename") }
            #expect(
                Set(tables) == [
                    "schema_migrations", "inbox", "outbox", "delivery_attempts", "passthrough_log", "dead_letters",
                ])
        }
    }

    // MARK: Helpers

    /// version -> namespace ("" for NULL) of every record.
    static func recorded(_ connection: PostgresConnection) async throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try await connection.query(
            "SELECT version, coalesce(namespace, '') AS namespace FROM schema_migrations")
        {
            result[try row.decode(Int.self, named: "version")] = try row.decode(String.self, named: "namespace")
        }
        return result
    }

    /// What the migrator did before namespaces: its table (no namespace column), each file applied and recorded by
    /// version, name and checksum.
    static func migrateTheOldWay(_ connection: PostgresConnection, _ migrations: some Sequence<Migrator.Migration>)
        async throws
    {
        try await connection.executeScript(
            """
            CREATE TABLE schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        for migration in migrations {
            try await connection.transaction { transaction in
                try transaction.executeScript(migration.sql)
                try transaction.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum]
                )
            }
        }
    }

    static func code(_ body: () throws -> Migrator) -> Migrator.Error.Code? {
        do {
            _ = try body()
            return nil
        } catch let error as Migrator.Error {
            return error.code
        } catch {
            return nil
        }
    }
}

/// The migrator's rules that need no database: which sets it accepts and the order it gives them.
@Suite struct MigrationSetTests {
    @Test func twoSetsWithOneNamespaceAreRejected() throws {
        let a = MigrationSet(namespace: "same", migrations: [.init(version: 1, name: "a", sql: "SELECT 1")])
        let b = MigrationSet(namespace: "same", migrations: [.init(version: 2, name: "b", sql: "SELECT 2")])
        #expect(MigrationTests.code { try Migrator([a, b]) } == .duplicateNamespace)
    }

    @Test func oneVersionInTwoSetsIsRejected() throws {
        let a = MigrationSet(namespace: "a", migrations: [.init(version: 7, name: "a", sql: "SELECT 1")])
        let b = MigrationSet(namespace: "b", migrations: [.init(version: 7, name: "b", sql: "SELECT 2")])
        #expect(MigrationTests.code { try Migrator([a, b]) } == .duplicateVersion)
        let twice = MigrationSet(
            namespace: "c",
            migrations: [.init(version: 3, name: "x", sql: "SELECT 1"), .init(version: 3, name: "y", sql: "SELECT 2")])
        #expect(MigrationTests.code { try Migrator([twice]) } == .duplicateVersion)
    }

    @Test func invalidNamespaceIsRejected() throws {
        let set = MigrationSet(namespace: "Payout Worker", migrations: [.init(version: 1, name: "a", sql: "SELECT 1")])
        #expect(MigrationTests.code { try Migrator([set]) } == .invalidNamespace)
    }

    /// The global order is by version alone: the order the sets are given in changes nothing.
    @Test func orderIsDeterministic() throws {
        let order = try Migrator.fleet().migrations.map { "\($0.namespace)/\($0.version)" }
        for _ in 0..<10 {
            #expect(
                try Migrator(Migrator.fleetSets.shuffled()).migrations.map { "\($0.namespace)/\($0.version)" } == order)
        }
    }

    /// Versions are unique and ascending, starting at 1. Gaps are allowed: engineers working in parallel number their
    /// migrations in ranges of their own (e.g. 0060-0069), so merges never collide on a number.
    @Test func bundledMigrationsAreNumberedUniquelyInOrder() throws {
        let versions = try Migrator.fleet().migrations.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
    }

    /// Which module owns which migration (the map in the migrator's documentation). A file moved to another module
    /// changes this list on purpose.
    @Test func everyMigrationBelongsToItsModule() throws {
        let owners = Dictionary(grouping: try Migrator.fleet().migrations, by: \.namespace).mapValues {
            $0.map(\.version)
        }
        #expect(
            owners == [
                "runtime": [1, 6, 20, 66, 70],
                "classifier": [2],
                "responder": [3, 65],
                "escalation": [4, 7, 61],
                "payout": [5, 30, 54],
                "agent_app": [40],
                "fleet": [50, 51, 52, 53, 55, 60],
            ])
    }
}
