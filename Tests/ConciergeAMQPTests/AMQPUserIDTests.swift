import ConciergeAMQP
import Logging
import Testing

/// The `user_id` property travels both ways and the broker validates it; bindings can be removed again.
@Suite(.enabled(if: AMQPTestEnvironment.isAvailable, "RabbitMQ not reachable"))
struct AMQPUserIDTests {
    let logger = Logger(label: "test.amqp.user-id")

    @Test func userIDReachesTheConsumerAndAForgedOneIsRefusedByTheBroker() async throws {
        let configuration = try AMQPTestEnvironment.configuration(name: "test-user-id")
        let queue = AMQPTestEnvironment.uniqueName("userid")
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: self.logger)
        try await publisher.declare(AMQPTopology(queues: [.init(name: queue, durable: false)]))
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 10, logger: self.logger)

        let honest = AMQPMessage(
            exchange: "", routingKey: queue, body: Array("a".utf8),
            properties: AMQPProperties(userId: configuration.username))
        #expect(try await publisher.publish([honest]) == [.confirmed])
        let unstamped = AMQPMessage(exchange: "", routingKey: queue, body: Array("b".utf8))
        #expect(try await publisher.publish([unstamped]) == [.confirmed])
        var received: [AMQPDelivery] = []
        while received.count < 2 { received += try await consumer.receive(max: 10, timeout: .seconds(5)) }
        #expect(received.map { $0.properties.userId } == [configuration.username, nil])
        try await consumer.ack(received)

        // RabbitMQ refuses a user_id that is not the connection's user (406 PRECONDITION_FAILED closes the channel).
        let forged = AMQPMessage(
            exchange: "", routingKey: queue, body: Array("c".utf8),
            properties: AMQPProperties(userId: "concierge-gateway-forged"))
        await #expect(throws: AMQPError.self) { try await publisher.publish([forged]) }
        #expect(try await consumer.receive(max: 10, timeout: .milliseconds(500)).isEmpty)
        // The publisher recovers for honest messages.
        #expect(try await publisher.publish([honest]) == [.confirmed])

        await consumer.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func unbindStopsRouting() async throws {
        let configuration = try AMQPTestEnvironment.configuration(name: "test-unbind")
        let queue = AMQPTestEnvironment.uniqueName("unbind")
        let exchange = AMQPTestEnvironment.uniqueName("unbind-x")
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: self.logger)
        let binding = AMQPTopology.Binding(queue: queue, exchange: exchange, routingKey: "offer.agent.a1")
        try await publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: exchange, type: "topic", durable: false)],
                queues: [.init(name: queue, durable: false)], bindings: [binding])
        )
        let message = AMQPMessage(
            exchange: exchange, routingKey: "offer.agent.a1", body: Array("x".utf8), mandatory: true)
        #expect(try await publisher.publish([message]) == [.confirmed])
        try await publisher.unbind(binding)
        let outcome = try await publisher.publish([message])
        guard case .returned = outcome.first else {
            Issue.record("expected the unbound key to be unroutable, got \(outcome)")
            return
        }
        try await publisher.unbind(binding)  // removing it again succeeds
        try await publisher.deleteQueue(queue)
        try await publisher.deleteExchange(exchange)
        await publisher.close()
    }
}
