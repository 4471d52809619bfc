import ConciergeAMQP
import ConciergeTesting
import Foundation
import InMemoryLogging
import Logging
import Testing

/// Where the test broker is and whether integration suites run (see the project's integration-test convention).
enum AMQPTestEnvironment {
    static var url: String {
        ProcessInfo.processInfo.environment["CONCIERGE_TEST_AMQP_URL"]
            ?? "amqp://concierge:concierge@127.0.0.1:5672/%2f"
    }

    static var servicesRequired: Bool { ProcessInfo.processInfo.environment["CONCIERGE_TEST_SERVICES"] == "require" }

    /// True when the broker's port accepts TCP connections, or when services are required (then an unreachable
    /// broker makes the tests fail loudly instead of being skipped).
    static let isAvailable: Bool = servicesRequired || brokerReachable()

    static func configuration(
        name: String = "concierge-tests", heartbeat: Duration = .seconds(10)
    ) throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: url, connectionName: name)
        configuration.heartbeat = heartbeat
        configuration.operationTimeout = .seconds(10)
        return configuration
    }

    /// A queue/exchange name unique to one test.
    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func brokerReachable() -> Bool {
        guard let configuration = try? AMQPConfiguration(url: url) else { return false }
        return TestServices.reachable(host: configuration.host, port: configuration.port)
    }
}

/// swift-log's in-memory handler (no global bootstrap; `logger()` is ConciergeTesting's): every copy of it shares one
/// store, so the loggers made from it and the test read the same entries.
extension InMemoryLogHandler {
    /// Whether a message or the metadata it was logged with contains `text`.
    func contains(_ text: String) -> Bool {
        self.entries.contains { "\($0.message)".contains(text) || "\($0.metadata)".contains(text) }
    }
}

extension AMQPPublisher {
    /// Publishes bodies to a queue via the default exchange and requires every one confirmed.
    func publishConfirmed(_ bodies: [String], to queue: String, properties: AMQPProperties = .init()) async throws {
        let messages = bodies.map {
            AMQPMessage(exchange: "", routingKey: queue, body: Array($0.utf8), properties: properties)
        }
        let outcomes = try await publish(messages)
        try #require(outcomes == Array(repeating: .confirmed, count: messages.count))
    }
}

extension AMQPPublisher {
    /// Publishes bodies to an exchange, each with its routing key, and requires every one confirmed (an unroutable
    /// one is confirmed too: the broker drops it).
    func publishConfirmed(_ bodies: [String], to exchange: String, routingKeys: [String]) async throws {
        let messages = zip(bodies, routingKeys).map { body, key in
            AMQPMessage(exchange: exchange, routingKey: key, body: Array(body.utf8), mandatory: false)
        }
        let outcomes = try await publish(messages)
        try #require(outcomes == Array(repeating: .confirmed, count: messages.count))
    }
}

extension AMQPConsumer {
    /// Receives until `count` deliveries arrived or `timeout` passed.
    func receive(count: Int, timeout: Duration = .seconds(10)) async throws -> [AMQPDelivery] {
        var deliveries: [AMQPDelivery] = []
        let deadline = ContinuousClock.now + timeout
        while deliveries.count < count, ContinuousClock.now < deadline {
            deliveries += try await receive(max: count - deliveries.count, timeout: .milliseconds(500))
        }
        return deliveries
    }
}

extension AMQPDelivery {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
