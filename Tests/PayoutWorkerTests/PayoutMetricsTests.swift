import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// The payout executable's counters, scraped from its `/metrics` after a known workload, equal what it booked: events
/// by schema and outcome (applied, duplicate, waiting for their resolution) and earnings by kind, against a database of
/// its own and the shipped rate card.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct PayoutMetricsTests {
    /// A virtual host of its own (`scripts/services`), away from the other suites that run worker executables.
    static let amqpURL = TestServices.amqpURL(vhost: "concierge-test-payout")

    @Test func countersMatchTheEventsAndEarningsBooked() async throws {
        try await PayoutTestDatabase.with { db in
            let logger = Logger(label: "test.payout-metrics")
            let id = TestServices.uniqueName("paym").replacingOccurrences(of: ".", with: "-")
            // a: a VIP resolution, rated 5 (a bonus), re-sent under a new message id (a duplicate); b: resolved, then
            // reopened within the window (a clawback); c: a rating whose resolution never comes (waiting).
            let events: [PayoutInput] = [
                Events.resolved("\(id)-a", vip: true, surge: 12500, at: "2026-06-01T12:00:00Z"),
                Events.feedback("\(id)-a", csat: 5, at: "2026-06-01T13:00:00Z"),
                Events.resolved("\(id)-b", complexity: "routine", at: "2026-06-01T12:30:00Z"),
                Events.reopened("\(id)-b", at: "2026-06-02T09:00:00Z"),
                Events.feedback("\(id)-c", csat: 4, at: "2026-06-01T14:00:00Z"),
                Events.resolved(
                    "\(id)-a", vip: true, surge: 12500, at: "2026-06-01T12:00:00Z", messageID: "\(id)-a.resent"),
            ]
            try await db.seedEscalationRecords(for: events)
            var url = URLComponents(string: TestServices.postgresURL)
            url?.path = "/\(db.name)"
            let worker = try WorkerProcess(
                "concierge-payout", amqpURL: Self.amqpURL,
                environment: [
                    "POSTGRES_URL": url?.string ?? "", "PAYOUT_PRODUCERS": "concierge", "WORKER_BATCH_SIZE": "50",
                    "WORKER_BATCH_WAIT_MS": "300",
                ]
            )
            defer { worker.stop() }
            let publisher = try await AMQPPublisher.connect(
                configuration: try AMQPConfiguration(url: Self.amqpURL, connectionName: "test-payout-metrics"),
                logger: logger
            )
            try await worker.waitUntilConsuming(FleetNames.payoutQueue, publisher: publisher)
            let messages = events.map { event -> AMQPMessage in
                let (body, schema): ([UInt8], String) =
                    switch event {
                    case .resolved(let e, _): (e.encodedBody(), MessageSchema.conversationResolvedV1.rawValue)
                    case .feedback(let e, _): (e.encodedBody(), MessageSchema.feedbackV1.rawValue)
                    case .reopened(let e, _): (e.encodedBody(), MessageSchema.conversationReopenedV1.rawValue)
                    }
                return AMQPMessage(
                    exchange: "", routingKey: FleetNames.payoutQueue, body: body,
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: event.messageID, type: schema,
                        userId: "concierge")
                )
            }
            #expect(try await publisher.publish(messages).allSatisfy { $0 == .confirmed })

            let text = try await worker.metrics {
                PrometheusText.value($0, "concierge_messages_total", ["outcome": "processed"]) >= 6
            }
            var earnings: [String: Int] = [:]
            for row in try await db.connection.query(
                "SELECT kind, count(*)::int AS n FROM payout_earnings GROUP BY kind")
            {
                earnings[try row.decode(named: "kind")] = try row.decode(named: "n")
            }
            #expect(earnings == ["resolution": 2, "csat_bonus": 1, "clawback": 1])
            for kind in EarningKind.allCases {
                #expect(
                    PrometheusText.value(text, "concierge_payout_earnings_total", ["kind": kind.rawValue])
                        == Double(earnings[kind.rawValue] ?? 0),
                    "earnings \(kind.rawValue)"
                )
            }
            let expected: [(String, String, Double)] = [
                ("conversation.resolved.v1", "applied", 2), ("conversation.resolved.v1", "duplicate", 1),
                ("feedback.v1", "applied", 1), ("feedback.v1", "waiting", 1),
                ("conversation.reopened.v1", "applied", 1),
            ]
            for (schema, outcome, count) in expected {
                #expect(
                    PrometheusText.value(text, "concierge_payout_events_total", ["schema": schema, "outcome": outcome])
                        == count,
                    "\(schema) \(outcome)"
                )
            }
            #expect(PrometheusText.value(text, "concierge_payout_events_total") == 6)
            #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "processed"]) == 6)
            #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "dead_lettered"]) == 0)
            await publisher.close()
        }
    }
}
