import ClassifierWorker
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The classifier logged in as its own role (migration 0050) persists and routes inquiries, and is refused the rest.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ClassifierRoleTests {
    @Test func classifierRoleRoutesInquiriesAndIsRefusedTheRest() async throws {
        let logger = Logger(label: "test.classifier.role")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-classifier-role")
        let owner = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: owner, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        try await WorkerRoles.ensureLogin("classifier", owner: database)
        let rolePostgres = WorkerRoles.configuration("classifier", base: owner)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)

        let id = TestServices.uniqueName("clsrole").replacingOccurrences(of: ".", with: "-")
        let input = "test.\(id).inquiries"
        let lanes = "test.\(id).lanes"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
        topology.queues.append(.init(name: lanes, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings += [FleetNames.aiLaneKey, FleetNames.humanLaneKey].map {
            .init(queue: lanes, exchange: FleetNames.workExchange, routingKey: $0)
        }
        try await publisher.declare(topology)
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, 'Vera', 'vip')", ["\(id)-vip"])

        var settings = WorkerSettings(name: "classifier-\(id)", queue: input, topology: topology)
        settings.batchSize = 10
        let worker = WorkerService(
            settings: settings,
            handler: ClassifierHandler(classifier: ShippedClassifier.classifier, modelVersion: "test"),
            amqp: amqp, postgres: rolePostgres, health: WorkerHealth(), logger: logger)
        let running = Task { try await worker.run() }

        let inquiries = [
            ("a", "\(id)-regular", "did my payment to Zalando go through?"), ("b", "\(id)-vip", "where is my refund?"),
        ]
        .map {
            InquiryV1(
                messageID: "\(id)-\($0.0)", customerID: $0.1, channel: "chat", text: $0.2,
                sentAt: "2026-11-27T10:00:00Z")
        }
        let outcomes = try await publisher.publish(
            inquiries.map {
                AMQPMessage(
                    exchange: "", routingKey: input, body: $0.encodedBody(),
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: $0.messageID, type: "inquiry.v1"))
            })
        #expect(outcomes.allSatisfy { $0 == .confirmed })
        let consumer = try await AMQPConsumer.connect(configuration: amqp, queue: lanes, prefetch: 10, logger: logger)
        var routed: Set<String> = []
        let deadline = ContinuousClock.now + .seconds(30)
        while routed.count < 2 && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 10, timeout: .milliseconds(300))
            // The lanes queue is bound to the shared work exchange: other suites' inquiries pass through it too.
            let mine = Set(inquiries.map(\.messageID))
            for delivery in deliveries {
                let messageID = try ContractDecoder().decode(RoutedInquiryV1.self, from: delivery.body).inquiry
                    .messageID
                if mine.contains(messageID) { routed.insert(messageID) }
            }
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        await consumer.close()
        #expect(routed == Set(inquiries.map(\.messageID)))
        let stored = try await database.query(
            "SELECT count(*) FROM routing_decisions WHERE message_id = ANY($1)", [inquiries.map(\.messageID)])
        #expect(try stored.first?.decode(Int64.self, named: "count") == 2)
        running.cancel()
        try? await running.value

        let role = try await PostgresConnection.connect(configuration: rolePostgres, logger: logger)
        for sql in [
            "UPDATE customers SET tier = 'vip' WHERE false", "SELECT count(*) FROM purchases",
            "SELECT count(*) FROM ai_replies",
            "UPDATE inquiries SET text = '' WHERE false", "DELETE FROM routing_decisions WHERE false",
            "SELECT count(*) FROM ledger_entries", "ALTER TABLE inquiries DISABLE TRIGGER ALL", "TRUNCATE inbox",
        ] {
            do {
                try await role.executeScript(sql)
                Issue.record("classifier role was allowed: \(sql)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(sql): \(error.debugDescription)")
            }
        }
        await role.close()
        for queue in [input, lanes] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}
