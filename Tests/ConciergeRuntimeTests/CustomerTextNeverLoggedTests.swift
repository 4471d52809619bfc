import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// What a run of the fleet leaves outside the database never holds a customer's words, name or account facts: the
/// classifier, responder and escalation executables run at the most verbose log level on real traffic (a routine
/// question answered from the customer's account, a bereavement and a request for a person handed to the human lane,
/// and three bad messages dead-lettered), then every line they logged, every metric they export and the reason and
/// detail of every dead letter are searched for the run's markers. The markers demonstrably went through the fleet
/// (stored, answered), so the search cannot pass for lack of data.
///
/// The workers run in the broker's `concierge-test-privacy` virtual host (made by `scripts/services`), where they
/// consume the fleet's own queue names away from other suites.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct CustomerTextNeverLoggedTests {
    @Test func noCustomerTextNameOrAccountFactInLogsMetricsOrDeadLetterDetails() async throws {
        let logger = Logger(label: "test.privacy")
        let id = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        // A database of its own: the workers' outbox relays sweep up their kinds' unsent rows, and other suites' rows
        // in the shared test database belong to the other virtual host.
        let databaseName = "privacy_test_\(id)"
        let owner = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await owner.executeScript("CREATE DATABASE \(databaseName)")  // [a-z0-9_] only: safe in DDL
        guard let slash = TestServices.postgresURL.range(of: "/", options: .backwards) else {
            throw TestFailure("no database in the URL")
        }
        let postgresURL = String(TestServices.postgresURL[..<slash.upperBound]) + databaseName
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        // Markers: the customer's name, a merchant (an account fact) and a word of the customer's own.
        let name = "Quillonmae\(id)"
        let merchant = "Brightwick\(id)"
        let word = "Ravensong\(id)"
        let markers = [name, merchant, word]
        let customer = "\(id)-privacy-customer"
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, $2, 'standard')",
            ["\(customer)", "\(name) Lindqvist"]
        )
        _ = try await database.query(
            """
            INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on)
            VALUES ($1, $2, $3, $4, 4999, 'EUR', current_date - 10)
            """,
            ["\(id)-p1", customer, merchant, "ORD-\(id)"]
        )
        _ = try await database.query(
            """
            INSERT INTO payments (payment_id, customer_id, purchase_id, amount_minor, currency, method, status, attempted_on)
            VALUES ($1, $2, $3, 4999, 'EUR', 'card', 'succeeded', current_date - 2)
            """,
            ["\(id)-pay1", customer, "\(id)-p1"]
        )

        let amqpURL = TestServices.amqpURL(vhost: "concierge-test-privacy")
        let admin = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: amqpURL, connectionName: "test-privacy"), logger: logger)
        // As the setup Job does: the whole topology first (each worker declares only its own part).
        try await admin.declare(FleetTopology().fleet())
        _ = try await admin.purgeQueue(FleetNames.deadLetterQueue)

        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-privacy-\(id)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        var workers: [(name: String, process: Process, port: Int)] = []
        defer {
            for worker in workers where worker.process.isRunning { worker.process.terminate() }
            for worker in workers { worker.process.waitUntilExit() }
        }
        for name in ["classifier", "responder", "escalation"] {
            let port = HTTPProbe.freePort()
            let process = Process()
            process.executableURL = TestServices.executable("concierge-\(name)")
            process.currentDirectoryURL = URL(fileURLWithPath: TestServices.repositoryFile("."))
            var environment = ProcessInfo.processInfo.environment
            environment["AMQP_URL"] = amqpURL
            environment["POSTGRES_URL"] = postgresURL
            environment["HTTP_HOST"] = "127.0.0.1"
            environment["HTTP_PORT"] = "\(port)"
            environment["LOG_LEVEL"] = "trace"
            environment["LOG_FORMAT"] = "json"
            environment["RETRY_DELAYS_MS"] = "200,400"
            environment["ESCALATION_AGENT_APP_USERS"] = "concierge"
            // Every worker of this run signs in as the test's user, so each takes the others' messages from it.
            environment["RESPONDER_PRODUCERS"] = "concierge"
            environment["ESCALATION_PRODUCERS"] = "concierge"
            process.environment = environment
            let file = logs.appendingPathComponent("\(name).log")
            // A file that cannot be created fails the `FileHandle` below.
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            workers.append((name, process, port))
        }
        let started = ContinuousClock.now + .seconds(60)
        for queue in [FleetNames.classifierQueue, FleetNames.responderQueue, FleetNames.escalationQueue] {
            while try await admin.queueStatus(queue)?.consumerCount ?? 0 < 1 {
                guard ContinuousClock.now < started, workers.allSatisfy(\.process.isRunning) else {
                    throw TestFailure("the workers did not start consuming (logs in \(logs.path))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        func inquiry(_ n: Int, _ text: String) -> AMQPMessage {
            let inquiry = InquiryV1(
                messageID: "\(id)-\(n)", customerID: customer, channel: "chat", text: text,
                sentAt: Timestamps.format(Date()))
            return AMQPMessage(
                exchange: "", routingKey: FleetNames.classifierQueue, body: inquiry.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: inquiry.messageID, type: "inquiry.v1")
            )
        }
        func raw(_ n: Int, _ body: String) -> AMQPMessage {
            AMQPMessage(
                exchange: "", routingKey: FleetNames.classifierQueue, body: Array(body.utf8),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: "\(id)-\(n)", type: "inquiry.v1")
            )
        }
        let good = [
            inquiry(0, "did my payment to \(merchant) go through?"),
            inquiry(1, "my husband \(word) died last week and I cannot pay the instalments"),
            inquiry(2, "I want to talk to a person about \(word), not a bot"),
        ]
        let bad = [
            raw(3, "{\"schema\": \"inquiry.v1\", \"text\": \"\(word) \(name)"),
            raw(
                4,
                "{\"schema\": \"inquiry.v1\", \"message_id\": \"\(id)-4\", \"text\": \"\(word) \(name) \(merchant)\"}"),
            inquiry(5, "\(word) \(name)\u{0} \(merchant)"),
        ]
        #expect(try await admin.publish(good + bad).allSatisfy { $0 == .confirmed })

        // The fleet did its work with the markers: decisions stored, the routine question answered from the account
        // (the merchant in the reply), the other two waiting for a person, the bad three dead-lettered.
        let ids = (0..<3).map { "\(id)-\($0)" }
        var deadLetters: [AMQPDelivery] = []
        let consumer = try await AMQPConsumer.connect(
            configuration: try AMQPConfiguration(url: amqpURL, connectionName: "test-privacy-dlq"),
            queue: FleetNames.deadLetterQueue, prefetch: 50,
            logger: logger
        )
        let deadline = ContinuousClock.now + .seconds(60)
        var answered = false
        var escalated = 0
        while ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 50, timeout: .milliseconds(200))
            deadLetters += deliveries.filter { $0.properties.messageId?.hasPrefix(id) == true }
            try await consumer.ack(deliveries)
            answered =
                try await database.query(
                    "SELECT count(*)::int FROM ai_replies WHERE inquiry_id = $1 AND strpos(text, $2) > 0",
                    [ids[0], merchant]
                ).single().decode(Int.self, named: "count") == 1
            escalated = try await database.query(
                "SELECT count(*)::int FROM escalations e JOIN inquiries i ON i.conversation_id = e.conversation_id WHERE i.message_id = ANY($1::text[])",
                [Array(ids[1...])]
            ).single().decode(Int.self, named: "count")
            if answered && escalated >= 2 && deadLetters.count >= 3 { break }
        }
        await consumer.close()
        #expect(answered, "the routine question was answered from the account (the merchant in the reply)")
        #expect(escalated >= 2, "the bereavement and the request for a person reached the human lane")
        #expect(
            Set(deadLetters.compactMap { $0.properties.headers[FleetNames.Headers.reason]?.stringValue })
                == ["malformed_json", "schema_violation", "unstorable_text"],
            "\(deadLetters.map(\.properties.headers))"
        )
        let stored = try await database.query(
            "SELECT count(*)::int FROM inquiries WHERE message_id = ANY($1::text[]) AND (strpos(text, $2) > 0 OR strpos(text, $3) > 0)",
            [ids, word, merchant]
        ).single().decode(Int.self, named: "count")
        #expect(stored == 3, "the markers went through the fleet")

        // Metrics, then the logs of the whole run (after a clean stop, so everything is flushed).
        var exported: [String: String] = [:]
        for worker in workers {
            exported[worker.name] = await HTTPProbe.get(port: worker.port, path: "/metrics")?.body ?? ""
        }
        for worker in workers {
            worker.process.terminate()
            worker.process.waitUntilExit()
        }
        for worker in workers {
            let metrics = try #require(exported[worker.name])
            #expect(metrics.contains("concierge_messages_total"), "\(worker.name) exported its metrics")
            let logged = try String(contentsOf: logs.appendingPathComponent("\(worker.name).log"), encoding: .utf8)
            #expect(logged.contains("\"level\""), "\(worker.name) logged (JSON lines)")
            for marker in markers {
                #expect(!metrics.contains(marker), "\(worker.name)'s metrics contain \(marker)")
                let lines = logged.split(separator: "\n").filter { $0.contains(marker) }
                #expect(lines.isEmpty, "\(worker.name) logged \(marker): \(lines.prefix(3))")
            }
        }
        for letter in deadLetters {
            let details = [FleetNames.Headers.reason, FleetNames.Headers.detail].compactMap {
                letter.properties.headers[$0]?.stringValue
            }
            #expect(details.count == 2)
            for marker in markers {
                #expect(
                    !details.joined(separator: " ").contains(marker),
                    "dead-letter detail contains \(marker): \(details)")
            }
        }

        for queue in [
            FleetNames.classifierQueue, FleetNames.responderQueue, FleetNames.escalationQueue,
            FleetNames.deadLetterQueue,
        ] {
            _ = try? await admin.purgeQueue(queue)
        }
        await admin.close()
        await database.close()
        try? await owner.executeScript("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        await owner.close()
        try? FileManager.default.removeItem(at: logs)
    }
}
