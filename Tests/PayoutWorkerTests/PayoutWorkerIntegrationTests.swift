import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// Events published to the real broker reach the payout worker (in-process `WorkerService`) and end up as earnings,
/// whatever their order, with a re-sent resolution paying once.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct PayoutWorkerIntegrationTests {
    @Test func eventsThroughTheQueueBecomeBalancedEarnings() async throws {
        try await PayoutTestDatabase.with { db in
            let logger = Logger(label: "test.payout")
            let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-payout")
            let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
            let id = TestServices.uniqueName("pay").replacingOccurrences(of: ".", with: "-")
            let queue = "test.\(id).payout"
            let topology = FleetTopology().workerQueue(queue)
            try await publisher.declare(topology)

            var settings = WorkerSettings(name: "payout-\(id)", queue: queue, topology: topology)
            settings.batchSize = 20
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
                let (body, schema): ([UInt8], String) = switch event {
                case .resolved(let e): (e.encodedBody(), MessageSchema.conversationResolvedV1.rawValue)
                case .feedback(let e): (e.encodedBody(), MessageSchema.feedbackV1.rawValue)
                case .reopened(let e): (e.encodedBody(), MessageSchema.conversationReopenedV1.rawValue)
                }
                let message = AMQPMessage(
                    exchange: "", routingKey: queue, body: body,
                    properties: AMQPProperties(contentType: "application/json", persistent: true, messageId: event.messageID, type: schema)
                )
                // One at a time, so the order above is the order the worker sees.
                #expect(try await publisher.publish([message]).allSatisfy { $0 == .confirmed })
                try await Task.sleep(for: .milliseconds(100))
            }

            let deadline = ContinuousClock.now + .seconds(30)
            var earnings: Int64 = 0
            while ContinuousClock.now < deadline {
                earnings = try await db.int("SELECT count(*) FROM payout_earnings")
                let inbox = try await db.int("SELECT count(*) FROM inbox WHERE consumer = $1", [settings.name])
                if earnings >= 4 && inbox == Int64(events.count) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try await db.earnings("\(id)-a") == [
                "resolution": [500, 150, 162, 0, 0, 812], "csat_bonus": [0, 0, 0, 100, 0, 100],
            ])
            #expect(try await db.earnings("\(id)-b") == [
                "resolution": [250, 0, 0, 0, 0, 250], "clawback": [0, 0, 0, 0, -250, -250],
            ])
            #expect(try await db.int("SELECT -debit_balance_minor FROM payouts.ledger_balances WHERE account = 'agent_payable:agent-1'") == 912)
            let report = try await db.reconcile()
            #expect(report.isClean, "\(report)")

            running.cancel()
            try? await running.value
            try? await publisher.deleteQueue(queue)
            await publisher.close()
        }
    }
}
