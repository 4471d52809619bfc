import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import ResponderWorker
import Testing

/// The responder (the worker that talks to an external LLM) logged in as its own role answers from the account facts
/// it may only read, writes its own tables, and is refused changing facts, the ledger or the schema.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ResponderRoleTests {
    @Test func responderRoleAnswersFromFactsAndIsRefusedTheRest() async throws {
        let logger = Logger(label: "test.responder.role")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-responder-role")
        let owner = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: owner, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        try await WorkerRoles.ensureLogin("responder", owner: database)
        let rolePostgres = WorkerRoles.configuration("responder", base: owner)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)

        let id = TestServices.uniqueName("rsprole").replacingOccurrences(of: ".", with: "-")
        let channel = "t" + String(id.suffix(12))
        let input = "test.\(id).responder"
        let outcomes = "test.\(id).outcomes"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges += [
            .init(name: FleetNames.workExchange, type: "direct"),
            .init(name: FleetNames.outcomesExchange, type: "topic"),
        ]
        topology.queues.append(.init(name: outcomes, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings.append(
            .init(queue: outcomes, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)"))
        try await publisher.declare(topology)
        let customer = "\(id)-cus"
        let purchase = ResponderFixtures.purchase(
            id: "\(id)-p1", customer: customer, merchant: "IKEA", reference: "IK-\(id.suffix(6))", amount: 60000,
            on: "2026-10-10")
        _ = try await database.transaction { try FactsWriter.insert([purchase], in: $0) }

        var settings = WorkerSettings(name: "responder-\(id)", queue: input, topology: topology)
        settings.batchSize = 10
        let worker = WorkerService(
            settings: settings, handler: ResponderHandler(responder: ResponderFixtures.responder), amqp: amqp,
            postgres: rolePostgres, health: WorkerHealth(), logger: logger)
        let running = Task { try await worker.run() }
        let routed = ResponderFixtures.routed(
            id: "\(id)-next", customer: customer, text: "when is my next instalment?", intent: "next_instalment",
            channel: channel)
        let message = AMQPMessage(
            exchange: "", routingKey: input, body: routed.encodedBody(),
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: routed.messageID,
                type: "routed_inquiry.v1"))
        #expect(try await publisher.publish([message]) == [.confirmed])

        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: outcomes, prefetch: 10, logger: logger)
        var reply: ReplyV1?
        let deadline = ContinuousClock.now + .seconds(30)
        while reply == nil && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 10, timeout: .milliseconds(300))
            for delivery in deliveries { reply = try ContractDecoder().decode(ReplyV1.self, from: delivery.body) }
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        await consumer.close()
        let answer = try #require(reply, "no reply")
        #expect(answer.inquiryID == routed.inquiry.messageID)
        #expect(answer.text.contains("IKEA"), "\(answer.text)")
        let stored = try await database.query(
            "SELECT count(*) FROM ai_replies WHERE inquiry_id = $1", [routed.inquiry.messageID])
        #expect(try stored.first?.decode(Int64.self, named: "count") == 1)
        running.cancel()
        try? await running.value

        let role = try await PostgresConnection.connect(configuration: rolePostgres, logger: logger)
        for sql in [
            "UPDATE instalments SET amount_minor = 1 WHERE false",
            "INSERT INTO purchases SELECT * FROM purchases WHERE false",
            "DELETE FROM payments WHERE false", "SELECT count(*) FROM agents", "SELECT count(*) FROM agent_messages",
            "SELECT count(*) FROM ledger_entries", "UPDATE ai_replies SET text = '' WHERE false",
            "ALTER TABLE ai_replies DISABLE TRIGGER ALL", "CREATE TABLE public.exfil (x text)",
        ] {
            do {
                try await role.executeScript(sql)
                Issue.record("responder role was allowed: \(sql)")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(sql): \(error.debugDescription)")
            }
        }
        await role.close()
        for queue in [input, outcomes] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}
