import ConciergeRuntime
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
}
