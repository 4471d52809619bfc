import ConciergeAMQP
import ConciergePostgres
import ConciergeRuntime
import Configuration
import Testing

/// The PostgreSQL session settings the fleet's configuration produces.
struct FleetConfigurationTests {
    static func fleet(_ values: [AbsoluteConfigKey: ConfigValue] = [:]) -> FleetConfiguration {
        // Development mode: these tests read the session settings, not the (then local, default) URLs.
        FleetConfiguration(
            reader: ConfigReader(
                provider: InMemoryProvider(values: values.merging(["fleet.development": true]) { a, _ in a })))
    }

    @Test func workerSessionsPlanOnceAndToolsKeepTheServerDefault() throws {
        let fleet = Self.fleet()
        let worker = try fleet.postgres(applicationName: "w", worker: true)
        #expect(worker.sessionSettings["plan_cache_mode"] == "force_generic_plan")
        #expect(worker.sessionSettings["random_page_cost"] == "1.1")
        let tool = try fleet.postgres(applicationName: "t")
        #expect(tool.sessionSettings["plan_cache_mode"] == nil)
        #expect(tool.sessionSettings["random_page_cost"] == "1.1")
        #expect(worker.applicationName == "w")
    }

    @Test func settingsComeFromConfiguration() throws {
        let fleet = Self.fleet([
            "postgres.plan_cache_mode": "auto",
            "postgres.random_page_cost": "4",
        ])
        let worker = try fleet.postgres(applicationName: "w", worker: true)
        #expect(worker.sessionSettings["plan_cache_mode"] == "auto")
        #expect(worker.sessionSettings["random_page_cost"] == "4")
    }
}

/// No built-in credentials outside development mode; TLS files for the broker from the configuration.
@Suite struct FleetSecretsTests {
    static func fleet(_ values: [AbsoluteConfigKey: ConfigValue]) -> FleetConfiguration {
        FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test func missingURLsAreAStartUpErrorInProduction() {
        let fleet = Self.fleet([:])
        let amqp = #expect(throws: ConfigurationError.self) { try fleet.amqp(connectionName: "t") }
        #expect(amqp?.code == .missingSecret && amqp?.key == "amqp.url")
        let postgres = #expect(throws: ConfigurationError.self) { try fleet.postgres(applicationName: "t") }
        #expect(postgres?.code == .missingSecret && postgres?.key == "postgres.url")
        #expect(!(amqp?.description.contains("concierge:concierge") ?? true))
    }

    @Test func developmentModeFallsBackToTheLocalServices() throws {
        let fleet = Self.fleet(["fleet.development": true])
        #expect(try fleet.amqp(connectionName: "t").host == "127.0.0.1")
        #expect(try fleet.postgres(applicationName: "t").sslMode == "disable")
    }

    @Test func brokerTLSFilesComeFromTheirKeys() throws {
        let fleet = Self.fleet([
            "amqp.url": .init(.string("amqps://u:p@broker.internal/%2f"), isSecret: true),
            "amqp.tls.ca_file": "/etc/ca.pem", "amqp.tls.cert_file": "/etc/c.pem", "amqp.tls.key_file": "/etc/c.key",
        ])
        let configuration = try fleet.amqp(connectionName: "t")
        #expect(configuration.caCertificatePath == "/etc/ca.pem")
        #expect(configuration.clientCertificatePath == "/etc/c.pem" && configuration.clientKeyPath == "/etc/c.key")
    }

    @Test func unverifiedBrokerTLSIsRefusedInProduction() {
        let fleet = Self.fleet([
            "amqp.url": .init(.string("amqps://u:p@broker.internal/%2f?verify=verify_none"), isSecret: true)
        ])
        let error = #expect(throws: ConfigurationError.self) { try fleet.amqp(connectionName: "t") }
        #expect(error?.code == .insecureSetting)
    }

    @Test func remotePostgresDefaultsToVerifyFull() throws {
        let fleet = Self.fleet(["postgres.url": .init(.string("postgres://u:p@db.internal/concierge"), isSecret: true)])
        #expect(try fleet.postgres(applicationName: "t").sslMode == "verify-full")
    }
}
