import ConciergeAMQP
import ConciergeTesting
import InMemoryLogging
import Testing

@Suite(.enabled(if: AMQPTestEnvironment.isAvailable, "RabbitMQ not reachable"))
struct AMQPPublisherTests {
    @Test func publishedMessagesAreConfirmedInOrder() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: AMQPTestEnvironment.configuration(), logger: InMemoryLogHandler().logger())
        let queue = AMQPTestEnvironment.uniqueName("confirm")
        try await publisher.declare(.init(queues: [.init(name: queue, arguments: ["x-queue-type": "quorum"])]))
        let messages = (0..<300).map { AMQPMessage(exchange: "", routingKey: queue, body: Array("m\($0)".utf8)) }
        async let first = publisher.publish(Array(messages[..<150]))
        async let second = publisher.publish(Array(messages[150...]))
        let outcomes = try await first + second
        #expect(outcomes == Array(repeating: .confirmed, count: 300))
        let status = try #require(try await publisher.queueStatus(queue))
        #expect(status.messageCount == 300)
        #expect(status.consumerCount == 0)
        #expect(try await publisher.publish([]) == [])
        #expect(try await publisher.purgeQueue(queue) == 300)
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func rejectPublishOverflowIsNacked() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: AMQPTestEnvironment.configuration(), logger: InMemoryLogHandler().logger())
        let queue = AMQPTestEnvironment.uniqueName("nack")
        try await publisher.declare(
            .init(queues: [.init(name: queue, arguments: ["x-max-length": 1, "x-overflow": "reject-publish"])]))
        let outcomes = try await publisher.publish([
            AMQPMessage(exchange: "", routingKey: queue, body: Array("one".utf8)),
            AMQPMessage(exchange: "", routingKey: queue, body: Array("two".utf8)),
        ])
        #expect(outcomes == [.confirmed, .nacked])
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func unroutableMandatoryMessageIsReturned() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: AMQPTestEnvironment.configuration(), logger: InMemoryLogHandler().logger())
        let exchange = AMQPTestEnvironment.uniqueName("noroute")
        let queue = AMQPTestEnvironment.uniqueName("routed")
        try await publisher.declare(
            .init(
                exchanges: [.init(name: exchange, type: "direct", durable: false)],
                queues: [.init(name: queue)],
                bindings: [.init(queue: queue, exchange: exchange, routingKey: "known")]))
        let body = Array("same body".utf8)
        let outcomes = try await publisher.publish([
            AMQPMessage(exchange: exchange, routingKey: "known", body: body),
            AMQPMessage(exchange: exchange, routingKey: "unknown", body: body),
            AMQPMessage(exchange: exchange, routingKey: "known", body: body),
            AMQPMessage(exchange: exchange, routingKey: "unknown", body: body, mandatory: false),
            AMQPMessage(exchange: exchange, routingKey: "unknown", body: Array("other".utf8)),
        ])
        #expect(
            outcomes == [
                .confirmed, .returned(replyCode: 312, replyText: "NO_ROUTE"), .confirmed, .confirmed,
                .returned(replyCode: 312, replyText: "NO_ROUTE"),
            ])
        #expect(try await publisher.queueStatus(queue)?.messageCount == 2)
        try await publisher.deleteQueue(queue)
        try await publisher.deleteExchange(exchange)
        await publisher.close()
    }

    @Test func missingQueueStatusIsNilAndThePublisherKeepsWorking() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: AMQPTestEnvironment.configuration(), logger: InMemoryLogHandler().logger())
        let queue = AMQPTestEnvironment.uniqueName("missing")
        #expect(try await publisher.queueStatus(queue) == nil)
        #expect(try await publisher.queueStatus(queue) == nil)
        try await publisher.declare(.init(queues: [.init(name: queue)]))
        try await publisher.publishConfirmed(["after 404"], to: queue)
        #expect(try await publisher.queueStatus(queue)?.messageCount == 1)
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func conflictingRedeclarationFailsWithPreconditionFailed() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: AMQPTestEnvironment.configuration(), logger: InMemoryLogHandler().logger())
        let queue = AMQPTestEnvironment.uniqueName("conflict")
        try await publisher.declare(.init(queues: [.init(name: queue, durable: true)]))
        let error = await #expect(throws: AMQPError.self) {
            try await publisher.declare(.init(queues: [.init(name: queue, durable: false)]))
        }
        #expect(error?.code == .channelClosed)
        #expect(error?.replyCode == 406)
        try await publisher.publishConfirmed(["still fine"], to: queue)
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func wrongPasswordFailsWithAuthenticationFailedAndIsNotLogged() async throws {
        var configuration = try AMQPTestEnvironment.configuration()
        configuration.password = "definitely-wrong-Pa55"
        let logs = InMemoryLogHandler()
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPPublisher.connect(configuration: configuration, logger: logs.logger())
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error.map { !String(reflecting: $0).contains("definitely-wrong-Pa55") } == true)
        #expect(!logs.contains("definitely-wrong-Pa55"))
    }

    @Test func unreachableBrokerFailsWithConnectionFailed() async throws {
        var configuration = try AMQPTestEnvironment.configuration()
        configuration.port = 1  // nothing listens there
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPPublisher.connect(configuration: configuration, logger: InMemoryLogHandler().logger())
        }
        #expect(error?.code == .connectionFailed)
    }

    @Test func operationsAfterCloseThrowClosed() async throws {
        let logs = InMemoryLogHandler()
        let configuration = try AMQPTestEnvironment.configuration()
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: logs.logger())
        await publisher.close()
        await publisher.close()
        let error = await #expect(throws: AMQPError.self) {
            _ = try await publisher.publish([AMQPMessage(exchange: "", routingKey: "x", body: [])])
        }
        #expect(error?.code == .closed)
        #expect(logs.entries.contains { $0.metadata["amqp.host"] != nil })
    }
}
