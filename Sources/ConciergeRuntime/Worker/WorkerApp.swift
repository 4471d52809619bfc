public import ConciergeAMQP
import Foundation
public import Logging
import Metrics
import Prometheus
public import ServiceLifecycle
import UnixSignals

/// The start-up every worker executable shares: configuration, JSON logs, Prometheus metrics, the health server and
/// the worker service in a `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public enum WorkerApp {
    /// What a worker's factory may use while starting.
    public struct Context: Sendable {
        public var configuration: FleetConfiguration
        public var logger: Logger
        /// Shared by every service of the process: `/readyz` is ready when all of them are.
        public var health: WorkerHealth

        /// A consuming worker with the process's configuration (`worker.*`, `amqp.url`, `postgres.url`).
        ///
        /// Its outbox relay sweeps up only its own rows and those of `sweeping` (see `WorkerSettings.sweptProducers`).
        /// It takes messages only from the AMQP users of `producers` (nil or empty: anyone's; see
        /// `WorkerSettings.acceptedProducers`).
        public func worker<Handler: WorkerHandler>(
            name: String, queue: String, handler: Handler, topology: AMQPTopology? = nil, sweeping: [String] = [],
            producers: [String]? = nil
        ) throws -> WorkerService<Handler> {
            var settings = self.configuration.workerSettings(name: name, queue: queue)
            if let topology { settings.topology = topology }
            settings.sweptProducers = [name] + sweeping
            if let producers, !producers.isEmpty { settings.acceptedProducers = Set(producers) }
            return WorkerService(
                settings: settings, handler: handler,
                amqp: try self.configuration.amqp(connectionName: "concierge-\(name)"),
                postgres: try self.configuration.postgres(applicationName: "concierge-\(name)", worker: true),
                health: self.health, logger: self.logger
            )
        }
    }

    /// Runs worker `name` consuming `queue` until SIGTERM. `makeHandler` builds the handler (loading models or rules).
    ///
    /// It takes messages only from the AMQP users `producersFor` reads from configuration (the worker's
    /// `<worker>.producers` key; empty, the default, takes anyone's).
    public static func run<Handler: WorkerHandler>(
        name: String, queue: String, topologyFor: @escaping (FleetConfiguration) -> AMQPTopology = { $0.topology.fleet() },
        producersFor: @escaping (FleetConfiguration) -> [String] = { _ in [] },
        makeHandler: @escaping (Context) async throws -> Handler
    ) async throws {
        try await self.run(name: name) { context in
            [
                try context.worker(
                    name: name, queue: queue, handler: try await makeHandler(context), topology: topologyFor(context.configuration),
                    producers: producersFor(context.configuration)
                )
            ]
        }
    }

    /// Runs the services a process is made of (several consumers, a dispatcher loop…) until SIGTERM, with the health
    /// server beside them. The group shuts down gracefully when any service stops.
    public static func run(name: String, makeServices: (Context) async throws -> [any Service]) async throws {
        let configuration = try await FleetConfiguration.load()
        let logger = Self.bootstrapLogging(label: "concierge.\(name)", configuration: configuration)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let health = WorkerHealth()
        let context = Context(configuration: configuration, logger: logger, health: health)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = try await makeServices(context).map {
            .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        }
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
