public import ConciergeAMQP
import Foundation
public import Logging
import Metrics
import Prometheus
public import ServiceLifecycle
public import UnixSignals

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
        name: String, queue: String,
        topologyFor: @escaping (FleetConfiguration) -> AMQPTopology = { $0.topology.fleet() },
        producersFor: @escaping (FleetConfiguration) -> [String] = { _ in [] },
        makeHandler: @escaping (Context) async throws -> Handler
    ) async throws {
        try await self.run(name: name) { context in
            [
                try context.worker(
                    name: name, queue: queue, handler: try await makeHandler(context),
                    topology: topologyFor(context.configuration),
                    producers: producersFor(context.configuration)
                )
            ]
        }
    }

    /// Runs the services a process is made of (several consumers, a dispatcher loop…) until SIGTERM, with the health
    /// server beside them. The group shuts down gracefully when any service stops.
    ///
    /// Loads the configuration, bootstraps the process-wide logging and metrics systems, then runs what `build`
    /// assembles.
    public static func run(name: String, makeServices: (Context) async throws -> [any Service]) async throws {
        let configuration = try await FleetConfiguration.load()
        let logger = Self.bootstrapLogging(label: "concierge.\(name)", configuration: configuration)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let built = try await Self.build(
            name: name, configuration: configuration, logger: logger, metrics: { registry.emitToBuffer() },
            gracefulShutdownSignals: [.sigterm, .sigint], makeServices: makeServices
        )
        try await built.group.run()
    }

    /// A whole worker process, assembled and not yet running: its services and the health server in one group.
    public struct Built: Sendable {
        /// Run it; `triggerGracefulShutdown()` stops it as SIGTERM would.
        public var group: ServiceGroup
        /// What `/readyz` and `/healthz` report.
        public var health: WorkerHealth
    }

    /// Assembles a worker process from `configuration` without touching anything process-wide (logging and metrics
    /// bootstrap, signals unless given): what `run` runs, and what a test runs in-process. `metrics` is what
    /// `/metrics` serves.
    public static func build(
        name: String, configuration: FleetConfiguration, logger: Logger,
        metrics: @escaping @Sendable () -> [UInt8] = { [] },
        gracefulShutdownSignals: [UnixSignal] = [], makeServices: (Context) async throws -> [any Service]
    ) async throws -> Built {
        let health = WorkerHealth()
        let context = Context(configuration: configuration, logger: logger, health: health)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = try await makeServices(context).map {
            .init(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        if configuration.httpPort >= 0 {
            let server = HealthServer(
                host: configuration.httpHost, port: configuration.httpPort, health: health, metrics: metrics,
                logger: logger
            )
            services.append(.init(service: server))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        return Built(group: ServiceGroup(configuration: groupConfiguration), health: health)
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
