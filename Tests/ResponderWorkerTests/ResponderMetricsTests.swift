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

/// The responder executable's counters, scraped from its `/metrics` after a known workload, equal what it committed:
/// answers, clarifying questions and hand-offs by reason (`concierge_responder_*`), the runtime's processed and
/// dead-lettered counts, and one timing per inquiry.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ResponderMetricsTests {
    /// A virtual host of its own (`scripts/services`): the classifier metrics suite's executable routes to the
    /// responder lane of `concierge-test`.
    static let amqpURL = TestServices.amqpURL(vhost: "concierge-test-responder")

    @Test func countersMatchTheRepliesAndHandOffsCommitted() async throws {
        let logger = Logger(label: "test.responder-metrics")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let id = TestServices.uniqueName("rspm").replacingOccurrences(of: ".", with: "-")
        let customer = "\(id)-customer"
        let empty = "\(id)-empty"
        // Two Zalando orders (a question naming the shop is ambiguous) and one IKEA order.
        let purchases = [
            ResponderFixtures.purchase(
                id: "\(id)-p1", customer: customer, merchant: "Zalando",
                reference: "ZL-\(Int.random(in: 100_000...999_999))", amount: 14997, on: "2026-10-03"),
            ResponderFixtures.purchase(
                id: "\(id)-p2", customer: customer, merchant: "Zalando",
                reference: "ZL-\(Int.random(in: 100_000...999_999))", amount: 8997, on: "2026-09-01"),
            ResponderFixtures.purchase(
                id: "\(id)-p3", customer: customer, merchant: "IKEA",
                reference: "IK-\(Int.random(in: 100_000...999_999))", amount: 29900, on: "2026-11-01"),
        ]
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, 'Mia', 'standard'), ($2, 'Ben', 'standard')",
            [customer, empty]
        )
        _ = try await database.transaction { try FactsWriter.insert(purchases, in: $0) }

        let worker = try WorkerProcess(
            "concierge-responder", amqpURL: Self.amqpURL,
            environment: ["RESPONDER_PRODUCERS": "concierge", "WORKER_BATCH_SIZE": "50", "WORKER_BATCH_WAIT_MS": "300"]
        )
        defer { worker.stop() }
        let publisher = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: Self.amqpURL, connectionName: "test-responder-metrics"),
            logger: logger
        )
        try await worker.waitUntilConsuming(FleetNames.responderQueue, publisher: publisher)

        // 4 answers, 2 clarifying questions, 3 hand-offs (no facts, unknown intent, misrouted), 1 malformed body.
        let now = Timestamps.format(Date())
        func routed(_ n: Int, _ text: String, intent: String?, customer: String = customer, route: Route = .ai)
            -> AMQPMessage
        {
            var inquiry = ResponderFixtures.routed(
                id: "\(id)-\(n)", customer: customer, text: text, intent: intent, route: route)
            inquiry.inquiry.sentAt = now
            return AMQPMessage(
                exchange: "", routingKey: FleetNames.responderQueue, body: inquiry.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: inquiry.messageID, userId: "concierge"
                )
            )
        }
        var messages = (0..<4).map { routed($0, "when is my next IKEA payment due?", intent: "next_instalment") }
        messages += (4..<6).map { routed($0, "did my Zalando payment go through?", intent: "payment_status") }
        messages += [
            routed(6, "where is my refund?", intent: "refund_status", customer: empty),
            routed(7, "hmm", intent: nil),
            routed(8, "I want a person", intent: "payment_status", route: .human),
        ]
        messages.append(
            AMQPMessage(
                exchange: "", routingKey: FleetNames.responderQueue, body: Array("not json".utf8),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: "\(id)-bad", userId: "concierge")
            )
        )
        #expect(try await publisher.publish(messages).allSatisfy { $0 == .confirmed })

        let text = try await worker.metrics {
            PrometheusText.value($0, "concierge_messages_total", ["outcome": "processed"]) >= 9
                && PrometheusText.value($0, "concierge_messages_total", ["outcome": "dead_lettered"]) >= 1
        }
        let ids = (0..<9).map { "\(id)-\($0)" }
        var replies: [String: Int] = [:]
        for row in try await database.query(
            "SELECT kind, count(*)::int AS n FROM ai_replies WHERE inquiry_id = ANY($1::text[]) GROUP BY kind", [ids]
        ) {
            replies[try row.decode(named: "kind")] = try row.decode(named: "n")
        }
        var handoffs: [String: Int] = [:]
        for row in try await database.query(
            "SELECT reason, count(*)::int AS n FROM ai_handoffs WHERE inquiry_id = ANY($1::text[]) GROUP BY reason",
            [ids]
        ) {
            handoffs[try row.decode(named: "reason")] = try row.decode(named: "n")
        }

        #expect(replies == ["answer": 4, "clarification": 2])
        #expect(handoffs == ["no_facts": 1, "unknown_intent": 1, "misrouted": 1])
        #expect(PrometheusText.value(text, "concierge_responder_outcomes_total", ["outcome": "answer"]) == 4)
        #expect(PrometheusText.value(text, "concierge_responder_outcomes_total", ["outcome": "clarification"]) == 2)
        #expect(PrometheusText.value(text, "concierge_responder_outcomes_total", ["outcome": "handoff"]) == 3)
        for reason in HandoffReason.allCases {
            #expect(
                PrometheusText.value(text, "concierge_responder_handoffs_total", ["reason": reason.rawValue])
                    == Double(handoffs[reason.rawValue] ?? 0),
                "hand-offs \(reason.rawValue)"
            )
        }
        #expect(PrometheusText.value(text, "concierge_responder_answer_duration_seconds_count") == 9)
        #expect(PrometheusText.value(text, "concierge_responder_reply_latency_seconds_count") == 9)
        #expect(PrometheusText.value(text, "concierge_responder_llm_total") == 0, "no LLM backend configured")
        #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "processed"]) == 9)
        #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "duplicate"]) == 0)
        #expect(PrometheusText.value(text, "concierge_dead_lettered_total", ["reason": "malformed_json"]) == 1)

        // Replies, hand-offs and the dead letter wait in the private host's queues; nobody reads them there.
        for queue in [FleetNames.escalationQueue, FleetNames.deadLetterQueue] {
            _ = try? await publisher.purgeQueue(queue)
        }
        await publisher.close()
        await database.close()
    }
}
