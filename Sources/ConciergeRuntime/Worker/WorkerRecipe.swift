public import Logging
public import ServiceLifecycle

/// One kind of worker process, set up the way every other one is: what each worker module provides and its
/// executable's `main` runs with `try await WorkerApp.run(ClassifierWorker.self)`.
///
/// The recipe:
/// - a static ``name``: the process's log label, AMQP connection and PostgreSQL application names, its inbox consumer
///   and outbox producer key;
/// - a ``Settings`` value read from configuration by ``settings(from:)``, whose type documents every key it reads
///   (the same keys, with their defaults, are in `config/concierge.yaml` under the worker's section);
/// - ``services(settings:context:)``: the consumers and loops the process runs, with the worker's metrics made once
///   there and injected into each (no process-wide singletons).
public protocol WorkerRecipe {
    associatedtype Settings: Sendable

    /// The worker's name (`classifier`, `responder`, `escalation`, `payout`, `agent-gateway`).
    static var name: String { get }

    /// Reads and checks the worker's settings; throws a configuration error that names the key.
    static func settings(from configuration: FleetConfiguration) throws -> Settings

    /// What the process runs, built from `settings` and the process's context (configuration, logger, health).
    static func services(settings: Settings, context: WorkerApp.Context) async throws -> [any Service]
}

extension WorkerApp {
    /// Runs the worker `recipe` describes until SIGTERM: loads the configuration, bootstraps logging and metrics, reads
    /// the worker's settings and runs its services beside the health server.
    public static func run<Recipe: WorkerRecipe>(_ recipe: Recipe.Type) async throws {
        try await self.run(name: Recipe.name) { context in
            try await Recipe.services(settings: try Recipe.settings(from: context.configuration), context: context)
        }
    }

    /// Assembles the worker `recipe` describes without running it or touching anything process-wide (see
    /// ``build(name:configuration:logger:metrics:gracefulShutdownSignals:makeServices:)``).
    public static func build<Recipe: WorkerRecipe>(
        _ recipe: Recipe.Type, configuration: FleetConfiguration, logger: Logger,
        metrics: @escaping @Sendable () -> [UInt8] = { [] }
    ) async throws -> Built {
        try await self.build(name: Recipe.name, configuration: configuration, logger: logger, metrics: metrics) {
            context in
            try await Recipe.services(settings: try Recipe.settings(from: context.configuration), context: context)
        }
    }
}
