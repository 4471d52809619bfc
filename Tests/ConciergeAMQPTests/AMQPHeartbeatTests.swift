import ConciergeAMQP
import ConciergeTesting
import InMemoryLogging
import Logging
import Testing

@Suite(.enabled(if: AMQPTestEnvironment.isAvailable, "RabbitMQ not reachable"))
struct AMQPHeartbeatTests {
    /// With a 2 s heartbeat the broker drops a silent client after ~4 s. Staying idle for 7 s (> 3 intervals) and
    /// then working on the same connections, without any reconnect logged, shows heartbeats are sent while idle.
    @Test func idleConnectionsSurviveOnHeartbeats() async throws {
        let logs = InMemoryLogHandler()
        let configuration = try AMQPTestEnvironment.configuration(name: "heartbeat-test", heartbeat: .seconds(2))
        let queue = AMQPTestEnvironment.uniqueName("heartbeat")
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: logs.logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 5, topology: .init(queues: [.init(name: queue)]),
            logger: logs.logger())
        #expect(logs.entries.filter { $0.message == "AMQP connected" }.count == 2)
        #expect(logs.entries.contains { $0.metadata["amqp.heartbeat_seconds"]?.description == "2" })

        try await Task.sleep(for: .seconds(7))

        try await publisher.publishConfirmed(["still alive"], to: queue)
        let deliveries = try await consumer.receive(count: 1)
        #expect(deliveries.map(\.text) == ["still alive"])
        try await consumer.ack(deliveries)
        #expect(!logs.contains("connection lost"))
        #expect(!logs.contains("reconnected"))
        await consumer.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }
}
