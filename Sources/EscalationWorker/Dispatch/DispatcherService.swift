public import ConciergePostgres
import ConciergeRuntime
public import Logging
public import ServiceLifecycle

/// The escalation process's timer loop: runs `Dispatcher.tick` every `settings.dispatchInterval` on its own
/// PostgreSQL connection until graceful shutdown. A failed tick is logged and retried on the next one (every step is
/// a transaction that commits or leaves nothing behind).
public final class DispatcherService: Service {
    let dispatcher: Dispatcher
    let postgres: PostgresConfiguration
    let logger: Logger

    public init(
        settings: EscalationSettings, metrics: EscalationMetrics, postgres: PostgresConfiguration, logger: Logger
    ) {
        self.dispatcher = Dispatcher(settings: settings, metrics: metrics)
        self.postgres = postgres
        var logger = logger
        logger[metadataKey: "worker.name"] = "\(EscalationWorker.dispatcherName)"
        self.logger = logger
    }

    public func run() async throws {
        var database: PostgresConnection?
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if database == nil {
                    database = try await PostgresConnection.connect(configuration: self.postgres, logger: self.logger)
                    self.logger.info("dispatching")
                }
                let report = try await self.dispatcher.tick(on: database!)
                if report.expired + report.withdrawn + report.breaches > 0 {
                    self.logger.debug(
                        "dispatcher tick",
                        metadata: [
                            "offers.expired": "\(report.expired)", "offers.withdrawn": "\(report.withdrawn)",
                            "agents.offline": "\(report.wentOffline)", "sla.breaches": "\(report.breaches)",
                            "offers.made": "\(report.offered)",
                        ]
                    )
                }
                failures = 0
                // A full batch means more may be waiting: go again at once.
                if report.offered < self.dispatcher.settings.dispatchBatch {
                    try? await Task.sleep(for: self.dispatcher.settings.dispatchInterval)
                }
            } catch {
                failures += 1
                if let connection = database, (error as? PostgresError)?.isConnectionLoss ?? false {
                    await connection.close()
                    database = nil
                }
                let delay = min(self.dispatcher.settings.dispatchInterval * failures, .seconds(5))
                self.logger.warning(
                    "dispatcher tick failed; retrying", metadata: ["error": "\(error)", "retry.in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
        await database?.close()
        self.logger.info("dispatcher stopped")
    }
}
