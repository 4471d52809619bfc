public import ConciergeAMQP
public import ConciergeCore
public import ConciergePostgres
public import Configuration
public import Foundation
import SystemPackage

/// Reads the fleet's configuration: environment variables over `config/concierge.yaml` over defaults.
///
/// The YAML file is `CONCIERGE_CONFIG` when set, else `config/concierge.yaml` relative to the working directory (it
/// may be absent). Environment variables use the key in upper snake case: `postgres.url` is `POSTGRES_URL`,
/// `worker.batch.size` is `WORKER_BATCH_SIZE`.
///
/// Keys shared by every worker:
/// - `fleet.development` (false): development mode. Only then may `amqp.url` and `postgres.url` be missing (they
///   default to the local services of `scripts/services`) and may the LLM endpoint be `http://` on loopback. In
///   production mode (the default) a missing secret is a start-up error, never a built-in password.
/// - `amqp.url` (secret, required): `amqp://` or `amqps://` URL of the broker (query: `cacertfile`, `certfile`,
///   `keyfile`, `verify`, `heartbeat`, `connection_timeout`). Several URLs separated by commas name the nodes of one
///   cluster: connections go to the first that answers and move to the others when it goes away.
/// - `amqp.tls.ca_file`, `amqp.tls.cert_file`, `amqp.tls.key_file` (empty): PEM files for `amqps://` (the trusted CA;
///   an optional client certificate and key), over the URL's query; `verify=verify_none` is refused in production
/// - `postgres.url` (secret, required): `postgres://` URL, e.g. `…?sslmode=verify-full&sslrootcert=/etc/ca/ca.pem`
///   (libpq's `PGSSLMODE`, `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY` apply when the URL does not say; a remote host
///   without any mode gets `verify-full`, and `prefer`/`allow` are refused: they may fall back to plain text)
/// - `postgres.plan_cache_mode` (force_generic_plan): PostgreSQL's `plan_cache_mode` for the workers' sessions (tools
///   such as `conciergectl` keep PostgreSQL's default)
/// - `postgres.random_page_cost` (1.1): PostgreSQL's `random_page_cost` for the workers' sessions
/// - `worker.prefetch` (1000), `worker.batch.size` (500), `worker.batch.wait_ms` (0), `worker.poison_attempts` (3),
///   `worker.max_body_bytes` (65536)
/// - `retry.delays_ms`: the retry tiers (default [1000, 5000, 30000]); `queues.delivery_limit` (10)
/// - `outbox.sweep_ms` (500): how often the relay publishes outbox rows nobody else is publishing
/// - `worker.dead_letter_exchange` (concierge.dead-letter): where workers publish dead letters
/// - `worker.db_reconnect_ms` (5000): how long a batch keeps reconnecting to a lost database before the worker holds
///   its messages and waits; `worker.db_probe_ms` (5000): how often an idle worker checks the database
/// - `worker.operator_users` ([concierge]): AMQP users whose replays keep a message's first publisher
///   (`x-concierge-producer`), see `WorkerSettings.operatorUsers`
/// - `http.host` (0.0.0.0), `http.port` (8080; 0 picks a free port; -1 disables the health server)
/// - `shutdown.grace_seconds` (20): longest graceful shutdown before the process exits anyway
/// - `log.level` (info), `log.format` (json or text)
public struct FleetConfiguration: Sendable {
    public let reader: ConfigReader

    public init(reader: ConfigReader) {
        self.reader = reader
    }

    /// Environment over the YAML file over defaults.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> FleetConfiguration
    {
        let path = environment["CONCIERGE_CONFIG"] ?? "config/concierge.yaml"
        let file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path), allowMissing: true)
        let env = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .specific(["AMQP_URL", "POSTGRES_URL", "LLM_API_KEY", "RESPONDER_LLM_API_KEY"])
        )
        return FleetConfiguration(reader: ConfigReader(providers: [env, file]))
    }

    /// Development mode (`fleet.development`): see the type's documentation.
    public var isDevelopment: Bool { self.reader.bool(forKey: "fleet.development", default: false) }

    /// The secret `key`, or `developmentDefault` in development mode; a start-up error otherwise.
    func requiredSecret(_ value: String, key: String, developmentDefault: String) throws(ConfigurationError) -> String {
        if !value.isEmpty { return value }
        guard self.isDevelopment else {
            throw ConfigurationError(
                .missingSecret, key: key,
                reason:
                    "not set (environment \(key.uppercased().replacingOccurrences(of: ".", with: "_"))); built-in credentials are used only with fleet.development=true"
            )
        }
        return developmentDefault
    }

    public func amqp(connectionName: String) throws -> AMQPConfiguration {
        let url = try self.requiredSecret(
            self.reader.string(forKey: "amqp.url", isSecret: true, default: ""), key: "amqp.url",
            developmentDefault: "amqp://concierge:concierge@127.0.0.1:5672/%2f")
        var configuration = try AMQPConfiguration(url: url, connectionName: connectionName)
        configuration.heartbeat = .seconds(self.reader.int(forKey: "amqp.heartbeat_seconds", default: 10))
        func file(_ value: String) -> String? { value.isEmpty ? nil : value }
        if let path = file(self.reader.string(forKey: "amqp.tls.ca_file", default: "")) {
            configuration.caCertificatePath = path
        }
        if let path = file(self.reader.string(forKey: "amqp.tls.cert_file", default: "")) {
            configuration.clientCertificatePath = path
        }
        if let path = file(self.reader.string(forKey: "amqp.tls.key_file", default: "")) {
            configuration.clientKeyPath = path
        }
        if configuration.useTLS, !configuration.verifyPeer, !self.isDevelopment {
            throw ConfigurationError(
                .insecureSetting, key: "amqp.url", reason: "verify=verify_none is refused outside fleet.development")
        }
        guard (configuration.clientCertificatePath == nil) == (configuration.clientKeyPath == nil) else {
            throw ConfigurationError(
                .invalidSetting, key: "amqp.tls.cert_file",
                reason: "a client certificate needs its key and a key its certificate")
        }
        if !configuration.useTLS, configuration.caCertificatePath != nil || configuration.clientCertificatePath != nil {
            throw ConfigurationError(
                .invalidSetting, key: "amqp.tls.ca_file", reason: "TLS files are set but amqp.url is not amqps://")
        }
        return configuration
    }

    /// The database settings for a session. `worker`: a long-running worker's session, whose few statements run
    /// thousands of times (they get `postgres.plan_cache_mode`); tools' one-off statements keep PostgreSQL's default.
    public func postgres(applicationName: String, worker: Bool = false) throws -> PostgresConfiguration {
        let url = try self.requiredSecret(
            self.reader.string(forKey: "postgres.url", isSecret: true, default: ""), key: "postgres.url",
            developmentDefault: "postgres://concierge:concierge@127.0.0.1:5432/concierge")
        var configuration = try PostgresConfiguration(url: url, applicationName: applicationName)
        if worker {
            // A worker prepares its statements once per connection. "force_generic_plan" plans each one once (and
            // again whenever the statistics of its tables change) instead of at every execution: at 500 inquiries/s,
            // with batches of about five, planning was 42% of the database's statement time with
            // "force_custom_plan" and still about 20% with PostgreSQL's "auto", which keeps re-planning the
            // `= ANY($1)` lookups of small batches. The catch: a generic plan made while a table's statistics say it
            // is empty (ANALYZEd with no rows) scans it sequentially until autovacuum analyzes it again (after 50
            // changed rows, within autovacuum_naptime), so never ANALYZE the fleet's growing tables while they are
            // empty; a table never analyzed is planned with index scans.
            configuration.sessionSettings["plan_cache_mode"] =
                self.reader.string(forKey: "postgres.plan_cache_mode", default: "force_generic_plan")
        }
        // PostgreSQL's default (4) prices a random page read like a spinning disk's. For the batch lookups
        // (`customer_id = ANY(<a few hundred ids>)`) it then prefers sequential scans and hash joins over the whole
        // facts tables, several times slower (README, "Measured figures"). 1.1 is the usual value for SSDs and data in
        // memory.
        configuration.sessionSettings["random_page_cost"] =
            self.reader.string(forKey: "postgres.random_page_cost", default: "1.1")
        return configuration
    }

    public var retryTiers: RetryTiers {
        let delays = self.reader.intArray(forKey: "retry.delays_ms", default: [1000, 5000, 30000])
        return RetryTiers(delays: delays.map { .milliseconds($0) })
    }

    public var topology: FleetTopology {
        FleetTopology(
            deliveryLimit: self.reader.int(forKey: "queues.delivery_limit", default: 10), retryTiers: self.retryTiers)
    }

    /// Settings for a worker consuming `queue`.
    public func workerSettings(name: String, queue: String) -> WorkerSettings {
        var settings = WorkerSettings(name: name, queue: queue, topology: self.topology.fleet())
        settings.prefetch = UInt16(clamping: self.reader.int(forKey: "worker.prefetch", default: 1000))
        settings.batchSize = max(1, self.reader.int(forKey: "worker.batch.size", default: 500))
        settings.batchWait = .milliseconds(self.reader.int(forKey: "worker.batch.wait_ms", default: 0))
        settings.poisonAttempts = self.reader.int(forKey: "worker.poison_attempts", default: 3)
        settings.maximumBodySize = self.reader.int(forKey: "worker.max_body_bytes", default: 64 * 1024)
        settings.retryTiers = self.retryTiers
        settings.outboxSweepInterval = .milliseconds(max(50, self.reader.int(forKey: "outbox.sweep_ms", default: 500)))
        settings.outboxHandoffLimit = max(1, self.reader.int(forKey: "outbox.handoff_limit", default: 10_000))
        settings.deadLetterExchange = self.reader.string(
            forKey: "worker.dead_letter_exchange", default: FleetNames.deadLetterExchange)
        settings.databaseReconnectTimeout = .milliseconds(
            max(100, self.reader.int(forKey: "worker.db_reconnect_ms", default: 5000)))
        settings.databaseProbeInterval = .milliseconds(
            max(100, self.reader.int(forKey: "worker.db_probe_ms", default: 5000)))
        settings.operatorUsers = Set(self.reader.stringArray(forKey: "worker.operator_users", default: ["concierge"]))
        return settings
    }

    public var httpHost: String { self.reader.string(forKey: "http.host", default: "0.0.0.0") }
    public var httpPort: Int { self.reader.int(forKey: "http.port", default: 8080) }
    public var shutdownGrace: Duration { .seconds(self.reader.int(forKey: "shutdown.grace_seconds", default: 20)) }
    public var logLevel: String { self.reader.string(forKey: "log.level", default: "info") }
    public var logFormat: String { self.reader.string(forKey: "log.format", default: "json") }
}
