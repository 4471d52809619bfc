import ConciergeAMQP
import ConciergeTesting
import Foundation
import InMemoryLogging
import Testing

/// Stops and restarts the broker application: run only in the serialized outage pass.
@Suite(.serialized, .enabled(if: AMQPTestEnvironment.isAvailable, "RabbitMQ not reachable"))
struct AMQPOutageTests {
    @Test func publisherAndConsumerRecoverFromABrokerRestartWithoutBeingRecreated() async throws {
        let logs = InMemoryLogHandler()
        var configuration = try AMQPTestEnvironment.configuration(name: "outage-test", heartbeat: .seconds(2))
        configuration.operationTimeout = .seconds(30)
        let queue = AMQPTestEnvironment.uniqueName("outage")
        let exchange = AMQPTestEnvironment.uniqueName("outage-x")
        // Durable topology the consumer re-declares on every reconnect.
        let topology = AMQPTopology(
            exchanges: [.init(name: exchange, type: "direct")],
            queues: [.init(name: queue, arguments: ["x-queue-type": "quorum"])],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: "k")])
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: logs.logger("publisher"))
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 10, topology: topology,
            logger: logs.logger("consumer"))
        let before = try await publisher.publish([
            AMQPMessage(exchange: exchange, routingKey: "k", body: Array("before".utf8))
        ])
        #expect(before == [.confirmed])
        let first = try await consumer.receive(count: 1)
        #expect(first.map(\.text) == ["before"])
        try await consumer.ack(first)

        try rabbitmqctl("stop_app")
        var restarted = false
        defer { if !restarted { try? rabbitmqctl("start_app") } }
        #expect(await eventually(timeout: .seconds(20)) { !consumer.isConsuming })
        try rabbitmqctl("start_app")
        restarted = true
        try rabbitmqctl("await_startup")

        #expect(await eventually(timeout: .seconds(60)) { consumer.isConsuming })
        // The publisher reconnects on demand; a publish racing the restart may fail and is retried (at-least-once).
        var outcome: [AMQPPublishOutcome] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while outcome.isEmpty, ContinuousClock.now < deadline {
            do {
                outcome = try await publisher.publish([
                    AMQPMessage(exchange: exchange, routingKey: "k", body: Array("after".utf8))
                ])
            } catch let error as AMQPError where error.code == .connectionClosed || error.code == .timeout {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(outcome == [.confirmed])
        let after = try await consumer.receive(count: 1, timeout: .seconds(20))
        #expect(after.map(\.text) == ["after"])
        try await consumer.ack(after)
        #expect(logs.contains("connection lost"))
        #expect(logs.contains("reconnected"))

        await consumer.close()
        try await publisher.deleteQueue(queue)
        try await publisher.deleteExchange(exchange)
        await publisher.close()
    }

    private func rabbitmqctl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/rabbitmqctl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "rabbitmqctl \(arguments.joined(separator: " ")) failed")
    }
}
