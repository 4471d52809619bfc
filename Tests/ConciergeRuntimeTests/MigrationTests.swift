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
        let recorded = try await connection.query("SELECT count(*) FROM schema_migrations").first!.decode(Int.self, at: 0)
        #expect(recorded == migrator.migrations.count)
        await connection.close()
    }

    /// Branches number migrations in their own ranges (0020…, 0030…, 0050…), so gaps are expected; a version must
    /// still be unique and positive.
    @Test func bundledMigrationsHaveUniqueAscendingVersions() throws {
        let versions = try Migrator.bundled().migrations.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == Array(Set(versions)).sorted())
        #expect(versions.allSatisfy { $0 > 0 })
    }
}
