import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Logging
import Testing

@Suite(.enabled(if: TestServices.enabled))
struct MigrationTests {
    @Test func migratingTwiceIsANoOp() async throws {
        let logger = Logger(label: "test.migrate")
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger
        )
        let migrator = try Migrator.bundled()
        _ = try await migrator.migrate(connection, logger: logger)
        let second = try await migrator.migrate(connection, logger: logger)
        #expect(second.isEmpty)
        let recorded = try await connection.query("SELECT count(*) FROM schema_migrations").single().decode(Int.self, at: 0)
        #expect(recorded == migrator.migrations.count)
        await connection.close()
    }

    /// Versions are unique and ascending, starting at 1. Gaps are allowed: engineers working in parallel number their
    /// migrations in ranges of their own (e.g. 0060-0069), so merges never collide on a number.
    @Test func bundledMigrationsAreNumberedUniquelyInOrder() throws {
        let versions = try Migrator.bundled().migrations.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
    }
}
