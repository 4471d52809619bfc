import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import Foundation
import Logging

/// What every subcommand needs: configuration and a logger writing text to standard error.
struct CommandContext {
    let configuration: FleetConfiguration
    let logger: Logger

    static func make(label: String = "conciergectl", level: Logger.Level = .warning) async throws -> CommandContext {
        let configuration = try await FleetConfiguration.load()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? level
            return handler
        }
        return CommandContext(configuration: configuration, logger: Logger(label: label))
    }

    /// Connects to PostgreSQL as `conciergectl-<name>` (after the fleet's migrations when `migrate`), runs `body`, and
    /// closes the connection whether `body` returned or threw.
    func withDatabase<T>(
        _ name: String, migrate: Bool = false, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let database = try await PostgresConnection.connect(
            configuration: try self.configuration.postgres(applicationName: "conciergectl-\(name)"), logger: self.logger
        )
        do {
            if migrate { try await Migrator.fleet().migrate(database, logger: self.logger) }
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
