import ArgumentParser
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the versioned SQL migrations (idempotent; safe to run concurrently)."
    )

    func run() async throws {
        let context = try await CommandContext.make()
        let connection = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-migrate"),
            logger: context.logger
        )
        let migrator = try Migrator.fleet()
        let applied = try await migrator.migrate(connection, logger: context.logger)
        await connection.close()
        if applied.isEmpty {
            print("migrations: up to date (\(migrator.migrations.count) known)")
        } else {
            print("migrations: applied \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
