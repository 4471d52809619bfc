import ConciergePostgres
import Foundation
import Logging
import Testing

/// The private TLS-only PostgreSQL cluster that `scripts/tls-services` starts (never the shared one): its URL and the
/// throwaway CA's folder come from `CONCIERGE_TEST_TLS_POSTGRES_URL` and `CONCIERGE_TEST_TLS_DIR`. `scripts/test`
/// runs these suites in their own pass; with `CONCIERGE_TEST_SERVICES=require` and no TLS instances they fail.
enum PostgresTLSEnvironment {
    static let environment = ProcessInfo.processInfo.environment
    static var isConfigured: Bool { environment["CONCIERGE_TEST_TLS_POSTGRES_URL"] != nil }
    static var enabled: Bool { isConfigured || PostgresTestDatabase.isRequired }

    static func url(_ query: String) throws -> String {
        let base = try #require(
            environment["CONCIERGE_TEST_TLS_POSTGRES_URL"], "run scripts/tls-services and source its env file")
        return query.isEmpty ? base : "\(base)?\(query)"
    }

    static func certificate(_ name: String) throws -> String {
        let folder = try #require(
            environment["CONCIERGE_TEST_TLS_DIR"], "run scripts/tls-services and source its env file")
        return "\(folder)/\(name)"
    }

    /// Connects and returns whether the session is encrypted (`pg_stat_ssl`) and its protocol version.
    static func encryptedSession(_ configuration: PostgresConfiguration) async throws -> (ssl: Bool, version: String?) {
        var configuration = configuration
        configuration.connectTimeout = .seconds(3)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, logger: PostgresTestDatabase.logger, reconnectTimeout: .seconds(1))
        defer { Task { await connection.close() } }
        let row = try #require(
            try await connection.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first)
        return (try row.decode(Bool.self, named: "ssl"), try row.decode(String?.self, named: "version"))
    }

    static func connectionError(_ configuration: PostgresConfiguration) async -> PostgresError? {
        var configuration = configuration
        configuration.connectTimeout = .seconds(3)
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, logger: PostgresTestDatabase.logger, reconnectTimeout: .seconds(1))
            await connection.close()
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return nil
        }
    }
}

@Suite(.enabled(if: PostgresTLSEnvironment.enabled, "no TLS PostgreSQL (scripts/tls-services)"), .serialized)
struct PostgresTLSTests {
    @Test func verifyFullWithRootCertificateInTheURLIsEncrypted() async throws {
        let ca = try PostgresTLSEnvironment.certificate("ca.pem")
        let configuration = try PostgresConfiguration(
            url: PostgresTLSEnvironment.url("sslmode=verify-full&sslrootcert=\(ca)"), environment: [:])
        #expect(configuration.sslMode == "verify-full")
        #expect(configuration.sslRootCertificate == ca)
        let session = try await PostgresTLSEnvironment.encryptedSession(configuration)
        #expect(session.ssl)
        #expect(session.version?.hasPrefix("TLS") == true)
    }

    @Test func libpqEnvironmentVariablesConfigureVerifyFull() async throws {
        let ca = try PostgresTLSEnvironment.certificate("ca.pem")
        let configuration = try PostgresConfiguration(
            url: PostgresTLSEnvironment.url(""), environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ca])
        #expect(configuration.sslMode == "verify-full")
        #expect(try await PostgresTLSEnvironment.encryptedSession(configuration).ssl)
    }

    @Test func rootCertificateAloneMeansVerifyFull() async throws {
        let ca = try PostgresTLSEnvironment.certificate("ca.pem")
        let configuration = try PostgresConfiguration(
            url: PostgresTLSEnvironment.url("sslrootcert=\(ca)"), environment: [:])
        #expect(configuration.sslMode == "verify-full")
        #expect(try await PostgresTLSEnvironment.encryptedSession(configuration).ssl)
    }

    @Test func wrongCertificateAuthorityIsRefusedWithAClearError() async throws {
        let wrong = try PostgresTLSEnvironment.certificate("wrong-ca.pem")
        let configuration = try PostgresConfiguration(
            url: PostgresTLSEnvironment.url("sslmode=verify-full&sslrootcert=\(wrong)"), environment: [:])
        let error = try #require(await PostgresTLSEnvironment.connectionError(configuration))
        #expect(error.code == .connectionFailed)
        #expect(error.serverMessage?.contains("certificate verify failed") == true, "\(String(reflecting: error))")
    }

    @Test func wrongHostNameIsRefusedWithAClearError() async throws {
        // The server's certificate names 127.0.0.1 and concierge-tls.test, not "localhost".
        let ca = try PostgresTLSEnvironment.certificate("ca.pem")
        let url = try PostgresTLSEnvironment.url("sslmode=verify-full&sslrootcert=\(ca)")
            .replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:")
        let configuration = try PostgresConfiguration(url: url, environment: [:])
        let error = try #require(await PostgresTLSEnvironment.connectionError(configuration))
        #expect(error.code == .connectionFailed)
        #expect(error.serverMessage?.contains("does not match host name") == true, "\(String(reflecting: error))")
    }

    @Test func plainTextIsRefusedByTheServerAndNeverAFallback() async throws {
        // sslmode=disable: the TLS-only server refuses it (no silent plain-text session).
        let plain = try PostgresConfiguration(url: PostgresTLSEnvironment.url("sslmode=disable"), environment: [:])
        let error = try #require(await PostgresTLSEnvironment.connectionError(plain))
        #expect(error.serverMessage?.contains("no encryption") == true, "\(String(reflecting: error))")
        // The modes that could fall back to plain text are refused before any connection is made.
        for mode in ["prefer", "allow"] {
            #expect(throws: PostgresError.self) {
                try PostgresConfiguration(url: PostgresTLSEnvironment.url("sslmode=\(mode)"), environment: [:])
            }
            #expect(throws: PostgresError.self) {
                try PostgresConfiguration(url: PostgresTLSEnvironment.url(""), environment: ["PGSSLMODE": mode])
            }
        }
    }

    @Test func clientCertificateIsOptionalAndAccepted() async throws {
        let ca = try PostgresTLSEnvironment.certificate("ca.pem")
        let certificate = try PostgresTLSEnvironment.certificate("client.pem")
        let key = try PostgresTLSEnvironment.certificate("client.key")
        let configuration = try PostgresConfiguration(
            url: PostgresTLSEnvironment.url(
                "sslmode=verify-full&sslrootcert=\(ca)&sslcert=\(certificate)&sslkey=\(key)"),
            environment: [:])
        #expect(configuration.sslCertificate == certificate)
        #expect(try await PostgresTLSEnvironment.encryptedSession(configuration).ssl)
    }
}
