import ClassifierWorker
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Inquiries published to the real broker end up persisted, classified and in the right lane with the right reasons.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ClassifierWorkerIntegrationTests {
    @Test func inquiriesArePersistedAndRoutedToTheRightLane() async throws {
        let logger = Logger(label: "test.classifier")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-classifier")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)

        let id = TestServices.uniqueName("cls").replacingOccurrences(of: ".", with: "-")
        let input = "test.\(id).inquiries"
        let aiLane = "test.\(id).ai"
        let humanLane = "test.\(id).human"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
        topology.queues += [
            .init(name: aiLane, arguments: ["x-queue-type": .string("quorum")]),
            .init(name: humanLane, arguments: ["x-queue-type": .string("quorum")]),
        ]
        topology.bindings += [
            .init(queue: aiLane, exchange: FleetNames.workExchange, routingKey: FleetNames.aiLaneKey),
            .init(queue: humanLane, exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey),
        ]
        try await publisher.declare(topology)
        let vip = "\(id)-vip"
        let regular = "\(id)-regular"
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, 'Vera', 'vip'), ($2, 'Rob', 'standard')",
            [vip, regular]
        )

        var settings = WorkerSettings(name: "classifier-\(id)", queue: input, topology: topology)
        settings.batchSize = 50
        let worker = WorkerService(
            settings: settings,
            handler: ClassifierHandler(classifier: ShippedClassifier.classifier, modelVersion: "test"),
            amqp: amqp, postgres: postgres, health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }

        let cases: [(suffix: String, customer: String, text: String, lane: String, reason: String)] = [
            ("routine", regular, "did my payment to Zalando go through?", aiLane, "intent:payment_status"),
            ("vip", vip, "did my payment to Zalando go through?", humanLane, "vip"),
            ("human", regular, "I'd like to talk to a human please", humanLane, "asked_for_human"),
            ("fraud", regular, "I didn't make this purchase, someone used my account", humanLane, "sensitive:"),
        ]
        let messages = cases.map { item in
            let inquiry = InquiryV1(
                messageID: "\(id)-\(item.suffix)", customerID: item.customer, channel: "chat", text: item.text,
                sentAt: "2026-11-27T10:00:00Z"
            )
            return AMQPMessage(
                exchange: "", routingKey: input, body: inquiry.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: inquiry.messageID, type: "inquiry.v1")
            )
        }
        #expect(try await publisher.publish(messages).allSatisfy { $0 == .confirmed })

        var lanes: [String: (lane: String, routed: RoutedInquiryV1)] = [:]
        for lane in [aiLane, humanLane] {
            let consumer = try await AMQPConsumer.connect(
                configuration: amqp, queue: lane, prefetch: 100, logger: logger)
            let expected = cases.filter { $0.lane == lane }.count
            let deadline = ContinuousClock.now + .seconds(30)
            var mine = 0
            while mine < expected && ContinuousClock.now < deadline {
                let deliveries = try await consumer.receive(max: 100, timeout: .milliseconds(300))
                for delivery in deliveries {
                    let routed = try ContractDecoder().decode(RoutedInquiryV1.self, from: delivery.body)
                    guard routed.inquiry.messageID.hasPrefix(id) else { continue }
                    lanes[routed.inquiry.messageID] = (lane, routed)
                    mine += 1
                }
                if !deliveries.isEmpty { try await consumer.ack(deliveries) }
            }
            await consumer.close()
        }
        for item in cases {
            let entry = try #require(lanes["\(id)-\(item.suffix)"], "\(item.suffix) never reached a lane")
            #expect(entry.lane == item.lane, "\(item.suffix): \(entry.routed.decision.reasons)")
            #expect(
                entry.routed.decision.reasons.contains { $0.hasPrefix(item.reason) },
                "\(item.suffix): \(entry.routed.decision.reasons)")
            let stored = try await database.query(
                "SELECT d.route, d.reasons, i.text FROM routing_decisions d JOIN inquiries i USING (message_id) WHERE message_id = $1",
                ["\(id)-\(item.suffix)"]
            )
            let row = try #require(stored.first)
            #expect(try row.decode(String.self, named: "route") == entry.routed.decision.route.rawValue)
            #expect(try row.decode([String].self, named: "reasons") == entry.routed.decision.reasons)
            #expect(try row.decode(String.self, named: "text") == item.text)
        }

        running.cancel()
        try? await running.value
        for queue in [input, aiLane, humanLane] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}
