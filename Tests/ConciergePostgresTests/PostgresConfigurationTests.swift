import ConciergePostgres
import ConciergeTesting
import InMemoryLogging
import Logging
import Testing

@Suite struct PostgresConfigurationTests {
    @Test func parsesAllParts() throws {
        let configuration = try PostgresConfiguration(
            url:
                "postgres://app%40user:p%40ss%3Aw%2Frd%20%F0%9F%94%91@db.example.com:6543/my%20db?sslmode=require&connect_timeout=9",
            applicationName: "worker"
        )
        #expect(configuration.user == "app@user")
        #expect(configuration.password == "p@ss:w/rd 🔑")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "my db")
        #expect(configuration.sslMode == "require")
        #expect(configuration.connectTimeout == .seconds(9))
        #expect(configuration.applicationName == "worker")
    }

    @Test func defaultsPortTimeoutAndSSLMode() throws {
        let configuration = try PostgresConfiguration(
            url: "postgresql://concierge@localhost/concierge", environment: [:])
        #expect(configuration.port == 5432)
        #expect(configuration.password == nil)
        #expect(configuration.sslMode == "disable")
        #expect(configuration.connectTimeout == .seconds(5))
        #expect(configuration.applicationName == "concierge")
    }

    @Test func databaseDefaultsToUser() throws {
        let configuration = try PostgresConfiguration(url: "postgres://alice:secret@127.0.0.1:5432")
        #expect(configuration.database == "alice")
    }

    @Test func acceptsBracketedIPv6Host() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:p@[::1]:5433/d")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5433)
    }

    @Test func passwordWithUnencodedAtSign() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:p@ss@h/d")
        #expect(configuration.password == "p@ss")
        #expect(configuration.host == "h")
    }

    @Test(arguments: [
        "mysql://u:p@h/d",
        "not a url",
        "postgres://u:p@h:99999/d",
        "postgres://u:p@h:port/d",
        "postgres://u%zz:p@h/d",
        "postgres://u:p@h/d?sslmode=sometimes",
        "postgres://u:p@h/d?sslmode=prefer",
        "postgres://u:p@h/d?sslmode=allow",
        "postgres://u:p@h/d?sslrootcert=",
        "postgres://u:p@h/d?frobnicate=1",
        "postgres://:p@h/d",
        "postgres://u:p@[::1/d",
    ])
    func rejectsInvalidURL(_ url: String) {
        let error = #expect(throws: PostgresError.self) { try PostgresConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
        #expect(error.map { !String(describing: $0).contains(":p@") } ?? false)
    }

    @Test(arguments: [
        ("postgres://u@db.example.internal/d", [String: String](), "verify-full"),
        ("postgres://u@127.0.0.1/d", [:], "disable"),
        ("postgres://u@localhost/d?host=/var/run/postgresql", [:], "disable"),
        ("postgres://u@db.example.internal/d", ["PGSSLMODE": "require"], "require"),
        ("postgres://u@db.example.internal/d?sslmode=verify-ca", ["PGSSLMODE": "require"], "verify-ca"),
        ("postgres://u@127.0.0.1/d?sslrootcert=/ca.pem", [:], "verify-full"),
        ("postgres://u@127.0.0.1/d", ["PGSSLROOTCERT": "/ca.pem"], "verify-full"),
    ])
    func sslModeNeverDefaultsToAFallbackMode(url: String, environment: [String: String], mode: String) throws {
        #expect(try PostgresConfiguration(url: url, environment: environment).sslMode == mode)
    }

    @Test func tlsFilesComeFromTheURLOverTheEnvironment() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://u@db/d?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&sslcert=/c.pem&sslkey=/c.key",
            environment: ["PGSSLROOTCERT": "/other.pem", "PGSSLCRL": "/crl.pem"])
        #expect(configuration.sslRootCertificate == "/etc/ca.pem")
        #expect(configuration.sslCertificate == "/c.pem")
        #expect(configuration.sslKey == "/c.key")
        #expect(configuration.sslRevocationList == "/crl.pem")
        #expect(String(describing: configuration).contains("sslrootcert: /etc/ca.pem"))
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://concierge:Sup3rS3cret@db:5432/prod?sslmode=verify-full")
        let text = String(describing: configuration)
        #expect(!text.contains("Sup3rS3cret"))
        #expect(text.contains("concierge@db:5432/prod"))
        #expect(text.contains("verify-full"))
    }

    @Test func connectingToAClosedPortFailsWithConnectionFailed() async throws {
        var configuration = try PostgresConfiguration(url: "postgres://u:Sup3rS3cret@127.0.0.1:1/d")
        configuration.connectTimeout = .seconds(2)
        let logs = InMemoryLogHandler()
        let logger = logs.logger()
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(configuration: configuration, logger: logger)
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.operation == "connect")
        #expect(error.map { !String(describing: $0).contains("Sup3rS3cret") } ?? false)

        let records = logs.entries
        let failure = try #require(records.first { $0.level == .error })
        #expect(failure.metadata["db.host"] == "127.0.0.1")
        #expect(failure.metadata["db.name"] == "d")
        for record in records {
            #expect(!"\(record.message)".contains("Sup3rS3cret"))
            #expect(!record.metadata.values.contains { "\($0)".contains("Sup3rS3cret") })
        }
    }
}
