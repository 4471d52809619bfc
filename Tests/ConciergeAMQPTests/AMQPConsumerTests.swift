import ConciergeAMQP
import ConciergeTesting
import InMemoryLogging
import Testing

@Suite(.enabled(if: AMQPTestEnvironment.isAvailable, "RabbitMQ not reachable"))
struct AMQPConsumerTests {
    @Test func prefetchBoundsUnackedDeliveriesAndAckReleasesMore() async throws {
        let logs = InMemoryLogHandler()
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("prefetch")
        let topology = AMQPTopology(queues: [.init(name: queue)])
        let publisher = try await AMQPPublisher.connect(configuration: configuration, logger: logs.logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 3, topology: topology, logger: logs.logger())
        #expect(consumer.isConsuming)
        try await publisher.publishConfirmed((0..<10).map { "m\($0)" }, to: queue)

        let first = try await consumer.receive(count: 3)
        #expect(first.map(\.text) == ["m0", "m1", "m2"])
        #expect(try await consumer.receive(max: 10, timeout: .milliseconds(300)).isEmpty)  // prefetch reached
        try await consumer.ack(first)
        var rest: [AMQPDelivery] = []
        while rest.count < 7 {
            let batch = try await consumer.receive(max: 10, timeout: .seconds(5))
            try #require(!batch.isEmpty)
            #expect(batch.count <= 3)
            rest += batch
            for delivery in batch { try await consumer.ack([delivery]) }
        }
        #expect(rest.map(\.text) == (3..<10).map { "m\($0)" })
        #expect(rest.allSatisfy { !$0.redelivered && $0.routingKey == queue && $0.exchange == "" })
        #expect(try await eventually { try await publisher.queueStatus(queue)?.messageCount == 0 })
        await consumer.close()
        #expect(try await eventually { try await publisher.queueStatus(queue)?.messageCount == 0 })  // nothing requeued
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func unackedDeliveriesAreRedeliveredAfterTheConsumerCloses() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("redeliver")
        let topology = AMQPTopology(queues: [.init(name: queue)])
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        try await publisher.declare(topology)
        try await publisher.publishConfirmed(["a", "b"], to: queue)

        let first = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 10, logger: InMemoryLogHandler().logger())
        let received = try await first.receive(count: 2)
        #expect(received.map(\.redelivered) == [false, false])
        try await first.ack([received[0]])
        await first.close()
        let error = await #expect(throws: AMQPError.self) { try await first.receive(max: 1, timeout: .seconds(1)) }
        #expect(error?.code == .closed)
        #expect(!first.isConsuming)

        let second = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 10, logger: InMemoryLogHandler().logger())
        let again = try await second.receive(count: 1)
        #expect(again.map(\.text) == ["b"])
        #expect(again.first?.redelivered == true)
        let refused = await #expect(throws: AMQPError.self) { try await first.ack(again) }  // closed: refused
        #expect(refused?.code == .closed)
        try await second.ack(again)
        #expect(try await eventually { try await publisher.queueStatus(queue)?.messageCount == 0 })
        await second.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func nackWithoutRequeueDeadLettersAndRejectRequeues() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("work")
        let deadLetterExchange = AMQPTestEnvironment.uniqueName("dlx")
        let deadLetterQueue = AMQPTestEnvironment.uniqueName("dlq")
        let topology = AMQPTopology(
            exchanges: [.init(name: deadLetterExchange, type: "fanout")],
            queues: [
                .init(name: deadLetterQueue),
                .init(name: queue, arguments: ["x-dead-letter-exchange": .string(deadLetterExchange)]),
            ],
            bindings: [.init(queue: deadLetterQueue, exchange: deadLetterExchange, routingKey: "")])
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 10, topology: topology,
            logger: InMemoryLogHandler().logger())
        try await publisher.publishConfirmed(["poison", "retry", "drop"], to: queue)

        let deliveries = try await consumer.receive(count: 3)
        try #require(deliveries.map(\.text) == ["poison", "retry", "drop"])
        try await consumer.nack(deliveries[0], requeue: false)
        try await consumer.reject(deliveries[1], requeue: true)
        try await consumer.reject(deliveries[2], requeue: false)

        let retried = try await consumer.receive(count: 1)
        #expect(retried.map(\.text) == ["retry"])
        #expect(retried.first?.redelivered == true)
        try await consumer.ack(retried)

        let deadLetters = try await AMQPConsumer.connect(
            configuration: configuration, queue: deadLetterQueue, prefetch: 10, logger: InMemoryLogHandler().logger())
        let dead = try await deadLetters.receive(count: 2)
        #expect(Set(dead.map(\.text)) == ["poison", "drop"])
        let death = try #require(dead.first?.properties.headers["x-death"]?.arrayValue?.first?.tableValue)
        #expect(death["queue"] == .string(queue))
        #expect(death["reason"] == .string("rejected"))
        #expect(death["count"] == .int(1))
        try await deadLetters.ack(dead)

        await deadLetters.close()
        await consumer.close()
        for name in [queue, deadLetterQueue] { try await publisher.deleteQueue(name) }
        try await publisher.deleteExchange(deadLetterExchange)
        await publisher.close()
    }

    @Test func fieldTablesAndPropertiesRoundTrip() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("fields")
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 5, topology: .init(queues: [.init(name: queue)]),
            logger: InMemoryLogHandler().logger())
        let headers: [String: AMQPFieldValue] = [
            "string": "héllo ✓", "empty": "", "bool": true, "false": false, "int": .int(-42),
            "big": .int(Int64.max), "double": .double(3.25), "timestamp": .timestamp(1_700_000_000),
            "bytes": .bytes([0, 1, 2, 255]), "void": .void, "emptyArray": .array([]), "emptyTable": .table([:]),
            "x-death": .array([
                .table(["count": 2, "queue": "q1", "reason": "rejected", "routing-keys": .array(["a", "b"])]),
                .table(["nested": .table(["deeper": .array([.int(1), .bool(false), .table(["k": "v"])])])]),
            ]),
        ]
        let properties = AMQPProperties(
            contentType: "application/json", contentEncoding: "identity", headers: headers, persistent: false,
            priority: 7, correlationId: "corr-1", replyTo: "replies", expiration: "600000", messageId: "msg-1",
            timestamp: 1_700_000_001, type: "ticket.created", appId: "tests")
        let body = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }  // spans several body frames
        let outcomes = try await publisher.publish([
            AMQPMessage(exchange: "", routingKey: queue, body: body, properties: properties),
            AMQPMessage(exchange: "", routingKey: queue, body: []),
        ])
        #expect(outcomes == [.confirmed, .confirmed])

        let deliveries = try await consumer.receive(count: 2)
        try #require(deliveries.count == 2)
        #expect(deliveries[0].body == body)
        #expect(deliveries[0].properties == properties)
        #expect(deliveries[1].body.isEmpty)
        #expect(deliveries[1].properties == AMQPProperties())  // persistent by default, nothing else set
        try await consumer.ack(deliveries)
        await consumer.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func acksForDeliveriesOfAnotherConsumerAreDropped() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("foreign")
        let topology = AMQPTopology(queues: [.init(name: queue)])
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let first = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 1, topology: topology,
            logger: InMemoryLogHandler().logger())
        try await publisher.publishConfirmed(["x"], to: queue)
        let delivery = try #require(try await first.receive(count: 1).first)
        let second = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 1, logger: InMemoryLogHandler().logger())
        try await second.ack([delivery])  // not second's tag: dropped instead of a 406 channel error
        try await second.ack([AMQPDelivery(deliveryTag: 1, routingKey: queue, body: [])])
        #expect(second.isConsuming)
        try await first.ack([delivery])
        try await first.ack([delivery])  // double ack: dropped, the channel stays open
        try await publisher.publishConfirmed(["y"], to: queue)
        let next =
            try await first.receive(count: 1, timeout: .seconds(3)) + second.receive(count: 1, timeout: .seconds(3))
        #expect(next.map(\.text).contains("y"))
        for consumer in [first, second] { await consumer.close() }
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func stopConsumingEndsDeliveriesButAllowsAcks() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("stop")
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 2, topology: .init(queues: [.init(name: queue)]),
            logger: InMemoryLogHandler().logger())
        try await publisher.publishConfirmed(["1", "2", "3"], to: queue)
        let held = try await consumer.receive(count: 2)
        try #require(held.count == 2)
        await consumer.stopConsuming()
        #expect(!consumer.isConsuming)
        try await consumer.ack(held)
        #expect(try await consumer.receive(max: 5, timeout: .milliseconds(500)).isEmpty)
        #expect(try await eventually { try await publisher.queueStatus(queue)?.messageCount == 1 })
        #expect(try await publisher.queueStatus(queue)?.consumerCount == 0)
        await consumer.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func brokerCancelIsNoticedAndTheConsumerResubscribes() async throws {
        let logs = InMemoryLogHandler()
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("cancel")
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 5, topology: .init(queues: [.init(name: queue)]),
            logger: logs.logger())
        try await publisher.deleteQueue(queue)  // the broker cancels the consumer; its topology re-declares it
        #expect(await eventually { logs.contains("cancelled by the broker") })
        #expect(await eventually { consumer.isConsuming })
        #expect(try await eventually { try await publisher.queueStatus(queue)?.consumerCount == 1 })
        try await publisher.publishConfirmed(["after cancel"], to: queue)
        let deliveries = try await consumer.receive(count: 1)
        #expect(deliveries.map(\.text) == ["after cancel"])
        try await consumer.ack(deliveries)
        await consumer.close()
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }

    @Test func keptBindingsComeBackWithTheirQueue() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("kept-bindings")
        let exchange = AMQPTestEnvironment.uniqueName("kept-bindings-x")
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        try await publisher.declare(.init(exchanges: [.init(name: exchange, type: "topic", durable: false)]))
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 5,
            topology: .init(queues: [.init(name: queue, durable: false)]), logger: InMemoryLogHandler().logger())
        try await consumer.bind(exchange: exchange, routingKey: "a")
        try await consumer.bind(exchange: exchange, routingKey: "b")
        try await consumer.unbind(exchange: exchange, routingKey: "b")
        try await publisher.publishConfirmed(["a1", "b1"], to: exchange, routingKeys: ["a", "b"])
        let first = try await consumer.receive(count: 1)
        #expect(first.map(\.text) == ["a1"])
        try await consumer.ack(first)

        // The queue goes (as after x-expires); the consumer declares it again with its bindings, then consumes.
        try await publisher.deleteQueue(queue)
        #expect(try await eventually { try await publisher.queueStatus(queue)?.consumerCount == 1 })
        try await publisher.publishConfirmed(["a2", "b2"], to: exchange, routingKeys: ["a", "b"])
        let second = try await consumer.receive(count: 2, timeout: .seconds(2))
        #expect(second.map(\.text) == ["a2"])
        try await consumer.ack(second)

        await consumer.close()
        try await publisher.deleteQueue(queue)
        try await publisher.deleteExchange(exchange)
        await publisher.close()
    }

    @Test func receiveIsCancellable() async throws {
        let configuration = try AMQPTestEnvironment.configuration()
        let queue = AMQPTestEnvironment.uniqueName("cancellable")
        let consumer = try await AMQPConsumer.connect(
            configuration: configuration, queue: queue, prefetch: 5, topology: .init(queues: [.init(name: queue)]),
            logger: InMemoryLogHandler().logger())
        let task = Task { try await consumer.receive(max: 1, timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        await consumer.close()
        let publisher = try await AMQPPublisher.connect(
            configuration: configuration, logger: InMemoryLogHandler().logger())
        try await publisher.deleteQueue(queue)
        await publisher.close()
    }
}
