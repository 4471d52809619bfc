import ConciergeAMQP
import ConciergeTesting
import Foundation
import InMemoryLogging
import Testing

/// The private TLS-only RabbitMQ node that `scripts/tls-services` starts (never the shared broker).
enum AMQPTLSEnvironment {
    static let environment = ProcessInfo.processInfo.environment
    static var enabled: Bool {
        environment["CONCIERGE_TEST_TLS_AMQP_URL"] != nil || AMQPTestEnvironment.servicesRequired
    }

    static func url(_ query: String, host: String? = nil) throws -> String {
        var base = try #require(
            environment["CONCIERGE_TEST_TLS_AMQP_URL"], "run scripts/tls-services and source its env file")
        if let host { base = base.replacingOccurrences(of: "@127.0.0.1:", with: "@\(host):") }
        return query.isEmpty ? base : "\(base)?\(query)"
    }

    static func certificate(_ name: String) throws -> String {
        let folder = try #require(
            environment["CONCIERGE_TEST_TLS_DIR"], "run scripts/tls-services and source its env file")
        return "\(folder)/\(name)"
    }

    static func configuration(_ url: String) throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: url, connectionName: "concierge-tls-tests")
        configuration.connectTimeout = .seconds(3)
        configuration.operationTimeout = .seconds(10)
        return configuration
    }

    /// Publishes one message through a queue of its own and checks the broker confirmed it.
    static func roundTrip(_ configuration: AMQPConfiguration) async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let queue = AMQPTestEnvironment.uniqueName("tls")
        try await publisher.declare(.init(queues: [.init(name: queue, arguments: ["x-queue-type": "quorum"])]))
        let outcomes = try await publisher.publish([
            AMQPMessage(exchange: "", routingKey: queue, body: Array("over tls".utf8))
        ])
        #expect(outcomes == [.confirmed])
        #expect(try await publisher.queueStatus(queue)?.messageCount == 1)
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    static func connectionError(_ configuration: AMQPConfiguration) async -> AMQPError? {
        do {
            let publisher = try await AMQPPublisher.connect(
                configuration: configuration, logger: InMemoryLogHandler().logger())
            await publisher.close()
            return nil
        } catch let error as AMQPError {
            return error
        } catch {
            return nil
        }
    }
}

@Suite(.enabled(if: AMQPTLSEnvironment.enabled, "no TLS RabbitMQ (scripts/tls-services)"), .serialized)
struct AMQPTLSTests {
    @Test func amqpsWithTheCAInTheURLPublishesAndIsConfirmed() async throws {
        let ca = try AMQPTLSEnvironment.certificate("ca.pem")
        let configuration = try AMQPTLSEnvironment.configuration(AMQPTLSEnvironment.url("cacertfile=\(ca)"))
        #expect(configuration.useTLS && configuration.verifyPeer)
        #expect(configuration.caCertificatePath == ca)
        try await AMQPTLSEnvironment.roundTrip(configuration)
    }

    @Test func optionalClientCertificateIsAccepted() async throws {
        let query = try
            "cacertfile=\(AMQPTLSEnvironment.certificate("ca.pem"))&certfile=\(AMQPTLSEnvironment.certificate("client.pem"))&keyfile=\(AMQPTLSEnvironment.certificate("client.key"))"
        let configuration = try AMQPTLSEnvironment.configuration(AMQPTLSEnvironment.url(query))
        #expect(configuration.clientCertificatePath != nil && configuration.clientKeyPath != nil)
        try await AMQPTLSEnvironment.roundTrip(configuration)
    }

    @Test func wrongCertificateAuthorityIsRefusedWithAClearError() async throws {
        let configuration = try AMQPTLSEnvironment.configuration(
            AMQPTLSEnvironment.url("cacertfile=\(AMQPTLSEnvironment.certificate("wrong-ca.pem"))"))
        let error = try #require(await AMQPTLSEnvironment.connectionError(configuration))
        #expect(error.code == .connectionFailed)
        let text = String(describing: error).lowercased()
        #expect(text.contains("ssl") || text.contains("verif"), "\(error)")
    }

    @Test func wrongHostNameIsRefusedWithAClearError() async throws {
        // The certificate names 127.0.0.1 and concierge-tls.test, not "localhost" (which resolves to 127.0.0.1).
        let configuration = try AMQPTLSEnvironment.configuration(
            AMQPTLSEnvironment.url("cacertfile=\(AMQPTLSEnvironment.certificate("ca.pem"))", host: "localhost"))
        let error = try #require(await AMQPTLSEnvironment.connectionError(configuration))
        #expect(error.code == .connectionFailed)
        let text = String(describing: error).lowercased()
        #expect(text.contains("ssl") || text.contains("hostname") || text.contains("verif"), "\(error)")
    }

    @Test func plainAMQPToTheTLSPortNeverConnects() async throws {
        let plain = try AMQPTLSEnvironment.url("").replacingOccurrences(of: "amqps://", with: "amqp://")
        let error = try #require(await AMQPTLSEnvironment.connectionError(AMQPTLSEnvironment.configuration(plain)))
        #expect(error.code == .connectionFailed || error.code == .timeout || error.code == .connectionClosed)
    }
}
