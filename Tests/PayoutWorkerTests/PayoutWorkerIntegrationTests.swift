import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// Events published to the real broker by the escalation worker's AMQP user reach the payout worker (in-process
/// `WorkerService`) and end up as earnings, whatever their order, with a re-sent resolution paying once; one that fails
/// once comes back through a retry tier still trusted (re-published under the worker's own user, its first publisher
/// kept); a rating forged by any other user is dead-lettered as `untrusted_sender`.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct PayoutWorkerIntegrationTests {
    @Test func eventsThroughTheQueueBecomeBalancedEarnings() async throws {
        try await PayoutTestDatabase.with { db in
            let logger = Logger(label: "test.payout")
            let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-payout")
            let admin = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
            let publisher = try await AMQPPublisher.connect(
                configuration: try AMQPConfiguration(
                    url: TestServices.amqpURL(as: "concierge-escalation"), connectionName: "test-payout-escalation"),
                logger: logger
            )
            let responder = try await AMQPPublisher.connect(
                configuration: try AMQPConfiguration(
                    url: TestServices.amqpURL(as: "concierge-responder"), connectionName: "test-payout-responder"),
                logger: logger
            )
            let id = TestServices.uniqueName("pay").replacingOccurrences(of: ".", with: "-")
            let queue = "test.\(id).payout"
            let deadLetters = "test.\(id).payout-dead"
            var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(queue)
            // The escalation worker's user may publish to concierge.work only (not the default exchange): the test's
            // queue is bound there under a key of its own.
            topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
            topology.bindings.append(.init(queue: queue, exchange: FleetNames.workExchange, routingKey: queue))
            topology.exchanges.append(.init(name: deadLetters, type: "fanout", durable: false))
            topology.queues.append(.init(name: deadLetters, durable: false))
            topology.bindings.append(.init(queue: deadLetters, exchange: deadLetters, routingKey: ""))
            try await admin.declare(topology)
            // The first attempt at b's resolution fails (a sequence counts attempts; a rollback does not undo it).
            try await db.connection.executeScript(
                """
                CREATE SEQUENCE fault_attempts;
                CREATE FUNCTION fault_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('fault_attempts') = 1 THEN RAISE EXCEPTION 'forced transient failure'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER fault_once BEFORE INSERT ON payout_assignments
                    FOR EACH ROW WHEN (NEW.assignment_id = '\(id)-b') EXECUTE FUNCTION fault_once();
                """
            )

            var settings = WorkerSettings(name: "payout-\(id)", queue: queue, topology: topology)
            settings.batchSize = 20
            settings.retryTiers = PassthroughFleet.retryTiers
            settings.deadLetterExchange = deadLetters
            // As concierge-payout runs (payout.producers).
            settings.acceptedProducers = Set(PayoutHandler.defaultProducers)
            let worker = WorkerService(
                settings: settings, handler: TestRateCards.handler(), amqp: amqp, postgres: db.configuration,
                health: WorkerHealth(), logger: logger
            )
            let running = Task { try await worker.run() }

            // The rating and the reopen overtake the resolution; the resolution is re-sent under a new message id.
            let events: [PayoutInput] = [
                Events.feedback("\(id)-a", csat: 5), Events.reopened("\(id)-b", at: "2025-03-10T18:00:00Z"),
                Events.resolved("\(id)-a", vip: true, surge: 12500), Events.resolved("\(id)-b", complexity: "routine"),
                Events.resolved("\(id)-a", vip: true, surge: 12500, messageID: "\(id)-a.resent"),
            ]
            try await db.seedEscalationRecords(for: events)
            for event in events {
                let (body, schema): ([UInt8], String) =
                    switch event {
                    case .resolved(let e, _): (e.encodedBody(), MessageSchema.conversationResolvedV1.rawValue)
                    case .feedback(let e, _): (e.encodedBody(), MessageSchema.feedbackV1.rawValue)
                    case .reopened(let e, _): (e.encodedBody(), MessageSchema.conversationReopenedV1.rawValue)
                    }
                let message = AMQPMessage(
                    exchange: FleetNames.workExchange, routingKey: queue, body: body,
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: event.messageID, type: schema,
                        userId: "concierge-escalation"
                    )
                )
                // One at a time, so the order above is the order the worker sees.
                #expect(try await publisher.publish([message]).allSatisfy { $0 == .confirmed })
                try await Task.sleep(for: .milliseconds(100))
            }
            // Ratings of b by anyone but the escalation worker: the admin user, another worker's user, no user_id.
            let forged = { (suffix: String) -> AMQPMessage in
                guard
                    case .feedback(let event, _) = Events.feedback(
                        "\(id)-b", csat: 5, messageID: "\(id)-b.forged.\(suffix)")
                else {
                    preconditionFailure("a rating")
                }
                return AMQPMessage(
                    exchange: FleetNames.workExchange, routingKey: queue, body: event.encodedBody(),
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: event.messageID,
                        type: MessageSchema.feedbackV1.rawValue,
                        userId: suffix == "none" ? nil : (suffix == "admin" ? "concierge" : "concierge-responder")
                    )
                )
            }
            #expect(try await admin.publish([forged("admin"), forged("none")]).allSatisfy { $0 == .confirmed })
            #expect(try await responder.publish([forged("responder")]).allSatisfy { $0 == .confirmed })

            let deadline = ContinuousClock.now + .seconds(30)
            var earnings: Int64 = 0
            while ContinuousClock.now < deadline {
                earnings = try await db.int("SELECT count(*) FROM payout_earnings")
                let inbox = try await db.int("SELECT count(*) FROM inbox WHERE consumer = $1", [settings.name])
                if earnings >= 4 && inbox == Int64(events.count) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(
                try await db.earnings("\(id)-a") == [
                    "resolution": [500, 150, 162, 0, 0, 812], "csat_bonus": [0, 0, 0, 100, 0, 100],
                ])
            #expect(
                try await db.earnings("\(id)-b") == [
                    "resolution": [250, 0, 0, 0, 0, 250], "clawback": [0, 0, 0, 0, -250, -250],
                ])
            #expect(
                try await db.int(
                    "SELECT -debit_balance_minor FROM payouts.ledger_balances WHERE account = 'agent_payable:agent-1'")
                    == 912)
            let report = try await db.reconcile()
            #expect(report.isClean, "\(report)")
            #expect(
                try await db.int("SELECT last_value FROM fault_attempts") == 2,
                "b's resolution failed once, then came back")

            let consumer = try await AMQPConsumer.connect(
                configuration: amqp, queue: deadLetters, prefetch: 10, logger: logger)
            var refused: [String: String] = [:]
            let collecting = ContinuousClock.now + .seconds(15)
            while refused.count < 3, ContinuousClock.now < collecting {
                for delivery in try await consumer.receive(max: 10, timeout: .milliseconds(200)) {
                    refused[delivery.properties.messageId ?? "?"] =
                        delivery.properties.headers[FleetNames.Headers.reason]?.stringValue
                }
            }
            await consumer.close()
            #expect(
                refused == [
                    "\(id)-b.forged.admin": "untrusted_sender", "\(id)-b.forged.none": "untrusted_sender",
                    "\(id)-b.forged.responder": "untrusted_sender",
                ])

            running.cancel()
            try? await running.value
            try? await admin.deleteQueue(queue)
            try? await admin.deleteQueue(deadLetters)
            try? await admin.deleteExchange(deadLetters)
            await publisher.close()
            await responder.close()
            await admin.close()
        }
    }
}
