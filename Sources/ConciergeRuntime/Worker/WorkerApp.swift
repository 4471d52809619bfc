public import ConciergeAMQP
import Foundation
public import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The start-up every worker executable shares: configuration, JSON logs, Prometheus metrics, the health server and
/// the worker service in a `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public enum WorkerApp {
    /// What a worker's handler factory may use while starting.
    public struct Context: Sendable {
        public var configuration: FleetConfiguration
        public var logger: Logger
    }

    /// Runs worker `name` consuming `queue` until SIGTERM. `makeHandler` builds the handler (loading models or rules).
    public static func run<Handler: WorkerHandler>(
        name: String, queue: String, topologyFor: (FleetConfiguration) -> AMQPTopology = { $0.topology.fleet() },
        makeHandler: (Context) async throws -> Handler
    ) async throws {
        let configuration = try await FleetConfiguration.load()
        let logger = Self.bootstrapLogging(label: "concierge.\(name)", configuration: configuration)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let handler = try await makeHandler(Context(configuration: configuration, logger: logger))
        let health = WorkerHealth()
        var settings = configuration.workerSettings(name: name, queue: queue)
        settings.topology = topologyFor(configuration)
        let worker = WorkerService(
            settings: settings, handler: handler,
            amqp: try configuration.amqp(connectionName: "concierge-\(name)"),
            postgres: try configuration.postgres(applicationName: "concierge-\(name)"),
            health: health, logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if configuration.httpPort >= 0 {
            let server = HealthServer(
                host: configuration.httpHost, port: configuration.httpPort, health: health,
                metrics: { registry.emitToBuffer() }, logger: logger
            )
            services.append(.init(service: server))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    public static func bootstrapLogging(label: String, configuration: FleetConfiguration) -> Logger {
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        if configuration.logFormat == "text" {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        } else {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        }
        return Logger(label: label)
    }
}
