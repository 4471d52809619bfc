import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The classifier executable's counters, scraped from its `/metrics`, equal what it committed, exactly once, although
/// its first batch's transaction is retried (a forced serialization failure) and then fails as a whole (a forced
/// error), so the batch is applied again in halves: `apply` ran three or more times for some messages, and every
/// metric it records must still count each committed message once.
///
/// The worker runs in the broker's `concierge-test` virtual host: it consumes the fleet's own queue names there, away
/// from other suites' messages on `/`. The faults come from a trigger on `routing_decisions` that fires for one
/// message of this test only; it counts its firings with a sequence, which a rollback does not undo.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ClassifierMetricsTests {
    @Test func countersMatchWhatWasCommittedOnceAfterARetriedTransactionAndASplitBatch() async throws {
        let logger = Logger(label: "test.classifier-metrics")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let id = TestServices.uniqueName("clsm").replacingOccurrences(of: ".", with: "_")
        let customer = "\(id)-customer"
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, 'Mia', 'standard')", [customer])

        // The fault: the first time message 0's decision is written, a serialization failure (the transaction is
        // retried whole); the second time, an ordinary error (the batch fails and is split); then it succeeds.
        let faulty = "\(id)-0"
        let sequence = "\(id)_faults"
        try await database.executeScript(
            """
            CREATE SEQUENCE \(sequence);
            CREATE FUNCTION \(id)_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                CASE nextval('\(sequence)')
                WHEN 1 THEN RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = 'serialization_failure';
                WHEN 2 THEN RAISE EXCEPTION 'forced batch failure';
                ELSE RETURN NEW;
                END CASE;
            END $$;
            CREATE TRIGGER \(id)_fault BEFORE INSERT ON routing_decisions
                FOR EACH ROW WHEN (NEW.message_id = '\(faulty)') EXECUTE FUNCTION \(id)_fault();
            """
        )
        var worker: WorkerProcess?
        defer { worker?.stop() }
        do {
            let process = try WorkerProcess(
                "concierge-classifier",
                environment: ["WORKER_BATCH_SIZE": "100", "WORKER_BATCH_WAIT_MS": "300", "RETRY_DELAYS_MS": "200,400"]
            )
            worker = process
            let publisher = try await AMQPPublisher.connect(
                configuration: try AMQPConfiguration(
                    url: TestServices.isolatedAMQPURL, connectionName: "test-classifier-metrics"), logger: logger
            )
            try await process.waitUntilConsuming(FleetNames.classifierQueue, publisher: publisher)
            let texts = [
                "did my payment to Zalando go through?", "when is my next instalment due?", "where is my refund?",
                "I'd like to talk to a human please", "someone used my card, I did not make this purchase",
                "can I change the date of my payment plan?",
            ]
            let count = 24
            let messages = (0..<count).map { n in
                let inquiry = InquiryV1(
                    messageID: "\(id)-\(n)", customerID: customer, channel: "chat", text: texts[n % texts.count],
                    sentAt: "2026-12-02T10:00:00Z"
                )
                return AMQPMessage(
                    exchange: "", routingKey: FleetNames.classifierQueue, body: inquiry.encodedBody(),
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: inquiry.messageID,
                        type: "inquiry.v1")
                )
            }
            #expect(try await publisher.publish(messages).allSatisfy { $0 == .confirmed })

            // Everything committed, then the counters settle (they are recorded after COMMIT and after the ack).
            let ids = (0..<count).map { "\(id)-\($0)" }
            let text = try await process.metrics {
                PrometheusText.value($0, "concierge_messages_total", ["outcome": "processed"]) >= Double(count)
            }

            let routes = try await database.query(
                "SELECT route, count(*)::int AS count FROM routing_decisions WHERE message_id = ANY($1::text[]) GROUP BY route",
                [ids]
            )
            var committed: [String: Int] = [:]
            for row in routes {
                committed[try row.decode(String.self, named: "route")] = try row.decode(Int.self, named: "count")
            }
            let reasonRows = try await database.query(
                """
                SELECT split_part(reason, ':', 1) AS reason, count(*)::int AS count
                FROM routing_decisions, unnest(reasons) AS reason
                WHERE message_id = ANY($1::text[]) GROUP BY 1
                """,
                [ids]
            )
            var reasons: [String: Int] = [:]
            for row in reasonRows {
                reasons[try row.decode(String.self, named: "reason")] = try row.decode(Int.self, named: "count")
            }
            let inbox = try await database.query(
                "SELECT count(*)::int AS count FROM inbox WHERE consumer = 'classifier' AND message_id = ANY($1::text[])",
                [ids]
            )
            let firings = try await database.query("SELECT last_value FROM \(sequence)")

            #expect(committed.values.reduce(0, +) == count, "decisions committed: \(committed)")
            #expect(try inbox.single().decode(Int.self, named: "count") == count)
            #expect(try firings.single().decode(Int.self, named: "last_value") >= 3, "both faults fired")
            #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "processed"]) == Double(count))
            #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "duplicate"]) == 0)
            #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "dead_lettered"]) == 0)
            #expect(PrometheusText.value(text, "concierge_routing_decisions_total") == Double(count))
            for route in Route.allCases {
                #expect(
                    PrometheusText.value(text, "concierge_routing_decisions_total", ["route": route.rawValue])
                        == Double(committed[route.rawValue] ?? 0),
                    "route \(route.rawValue)"
                )
            }
            #expect(!reasons.isEmpty)
            for (kind, number) in reasons {
                #expect(
                    PrometheusText.value(text, "concierge_routing_reasons_total", ["reason": kind]) == Double(number),
                    "reason \(kind)")
            }
            #expect(
                PrometheusText.value(text, "concierge_routing_reasons_total") == Double(reasons.values.reduce(0, +)))
            #expect(PrometheusText.value(text, "concierge_intent_confidence_count") == Double(count))
            // The retried transaction shows in the database retries; the split batch in the batches recorded.
            #expect(PrometheusText.value(text, "concierge_db_retries_total") >= 1)
            #expect(PrometheusText.value(text, "concierge_batch_size_count") >= 2)

            // The routed inquiries wait in the private host's lanes; nobody reads them there.
            for lane in [FleetNames.responderQueue, FleetNames.escalationQueue] {
                _ = try? await publisher.purgeQueue(lane)
            }
            await publisher.close()
        } catch {
            try? await Self.dropFault(id: id, sequence: sequence, database: database)
            throw error
        }
        try await Self.dropFault(id: id, sequence: sequence, database: database)
        await database.close()
    }

    static func dropFault(id: String, sequence: String, database: PostgresConnection) async throws {
        try await database.executeScript(
            "DROP TRIGGER IF EXISTS \(id)_fault ON routing_decisions; DROP FUNCTION IF EXISTS \(id)_fault(); DROP SEQUENCE IF EXISTS \(sequence);"
        )
    }
}
