import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import PayoutWorker
import Testing

/// Erasure and retention over data the fleet really wrote: a whole human conversation (inquiry, follow-up,
/// transcript, escalation preview and summary, agent message, outbox bodies), plus account facts, an AI reply and a
/// hand-off, and the agent's payout booked into the ledger. Afterwards a scan of every text, json and array column of
/// every table finds neither the customer's words nor their name.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct CustomerDataTests {
    /// Rows of any table in `public` whose text-like columns contain `needle` ("table.column" -> count).
    static func occurrences(of needle: String, in database: PostgresConnection) async throws -> [String: Int64] {
        let columns = try await database.query(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'ARRAY', 'character varying', 'bytea')
              AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = 'public')
            """)
        var found: [String: Int64] = [:]
        for row in columns {
            let table = try row.decode(String.self, named: "table_name")
            let column = try row.decode(String.self, named: "column_name")
            // Names come from the catalog; quoted as identifiers.
            let match =
                try row.decode(String.self, named: "data_type") == "bytea"
                ? "position(convert_to($1, 'UTF8') IN \"\(column)\") > 0" : "strpos(\"\(column)\"::text, $1) > 0"
            let count: Int64
            do {
                count =
                    try await database.query(
                        "SELECT count(*) FROM public.\"\(table)\" WHERE \(match)", [needle]
                    ).first?.decode(Int64.self, named: "count") ?? 0
            } catch let error as PostgresError where error.sqlState == "42P01" {
                // Other suites create and drop tables of their own in this schema while this one runs: a table
                // dropped since the catalog was read holds nothing.
                continue
            }
            if count > 0 { found["\(table).\(column)"] = count }
        }
        return found
    }

    static func stop(_ tasks: [Task<Void, any Error>]) async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
    }

    @Test func erasureLeavesNoTextOrNameAndKeepsTheLedgerAndIsIdempotent() async throws {
        let world = try await EscalationWorld.make("erase")
        let marker = "Kjellfrid\(world.id.prefix(8))"
        let customer = "\(world.id)-c1"
        try await world.database.query(
            "INSERT INTO customers (customer_id, display_name, market) VALUES ($1, $2, $3)",
            [customer, "\(marker) Lindqvist", world.market])
        let agent = try await world.enrollAgent("oda")
        let agentCustomer = try #require(
            try await world.database.query("SELECT customer_id FROM agents WHERE agent_id = $1", [agent]).first
        )
        .decode(String.self, named: "customer_id")
        try await world.database.query(
            "UPDATE customers SET display_name = $2 WHERE customer_id = $1", [agentCustomer, "Agentname\(marker)"])
        try await world.database.query(
            "UPDATE agents SET display_name = $2 WHERE agent_id = $1", [agent, "Agentname\(marker)"])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("c1", customer: customer)
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        try await world.followUp(
            "c1-more", conversationID: conversation, customer: customer,
            text: "my husband \(marker) died and his card was used, I am in debt")
        try await world.send(agent, .message, conversationID: conversation, text: "I am so sorry, \(marker) Lindqvist")
        try await world.waitUntil("both messages in the transcript") {
            try await world.database.query(
                "SELECT count(*) FROM transcript_entries WHERE conversation_id = $1 AND strpos(text, $2) > 0",
                [conversation, marker]
            )[0].decode(Int64.self, named: "count") >= 2
        }
        try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        // The inquiry as the classifier stores it; account facts, an AI reply and a hand-off, as the responder does.
        try await world.database.query(
            """
            INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at)
            VALUES ($1, $2, $3, 'chat', 'en', $4, now())
            """, ["\(world.id)-i1", conversation, customer, "my husband \(marker) died"])
        try await world.database.query(
            """
            INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on, status, delivery_status)
            VALUES ($1, $2, $3, 'ORD-1', 4999, 'EUR', '2026-10-01', 'active', 'delivered')
            """, ["\(world.id)-p1", customer, "Shop of \(marker)"])
        try await world.database.query(
            """
            INSERT INTO ai_replies (reply_id, inquiry_id, conversation_id, customer_id, intent, language, kind, text, facts, backend)
            VALUES ($1, $1, $2, $3, 'payment_status', 'en', 'answer', $4, $5::jsonb, 'builtin')
            """,
            [
                "\(world.id)-r1", conversation, customer, "Dear \(marker), your payment went through",
                "[{\"summary\": \"\(marker)\"}]",
            ])
        try await world.database.query(
            """
            INSERT INTO ai_handoffs (inquiry_id, conversation_id, customer_id, intent, reason, summary, facts, ai_reply)
            VALUES ($1, $2, $3, 'payment_status', 'not_helped', $4, '[]', $4)
            """, ["\(world.id)-h1", conversation, customer, "Customer \(marker) is upset"])
        // The follow-up as an operator's dead-letter archive keeps it (the whole body, for a replay).
        try await world.database.query(
            """
            INSERT INTO dead_letters (archive_key, message_id, queue, reason, exchange, routing_key, headers, body)
            VALUES ($1, $1, 'concierge.classifier', 'schema_violation', '', 'concierge.classifier', '{}', convert_to($2, 'UTF8'))
            """, ["\(world.id)-dl1", "{\"customer_id\":\"\(customer)\",\"text\":\"my husband \(marker) died\"}"])
        // The agent's pay, booked from the resolution the escalation worker published.
        let resolvedBody = try #require(try await world.outboxBody("\(conversation).assignment.resolved"))
        let payout = PayoutHandler(book: try #require(world.settings.rateCards), cadence: .monthly)
        // As the payout worker receives it: published by the escalation worker's AMQP user.
        let input = try payout.decode(
            InboundMessage(
                messageID: "\(conversation).assignment.resolved", routingKey: FleetNames.payoutKey, body: resolvedBody,
                userID: PayoutHandler.defaultProducers[0]
            ))
        _ = try await world.database.transaction {
            try payout.apply(
                [
                    Accepted(
                        message: InboundMessage(
                            messageID: "\(conversation).assignment.resolved", routingKey: FleetNames.payoutKey,
                            body: resolvedBody), input: input)
                ], in: $0)
        }
        try await world.waitUntil("outbox sent") {
            try await world.database.query(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND strpos(body, $1) > 0", [marker])[0].decode(
                    Int64.self, named: "count") == 0
        }
        await Self.stop(tasks)
        let before = try await Self.occurrences(of: marker, in: world.database)
        #expect(
            before.keys.contains("inquiries.text") && before.keys.contains("transcript_entries.text")
                && before.keys.contains("agent_messages.text")
                && before.keys.contains("dead_letters.body"),
            "the scenario should have stored the text: \(before)")
        let ledger =
            "SELECT count(*) AS entries, coalesce(sum(amount_minor), 0)::bigint AS total FROM ledger_entries WHERE account = $1"
        let ledgerBefore = try #require(try await world.database.query(ledger, ["agent_payable:\(agent)"]).first)
        #expect(try ledgerBefore.decode(Int64.self, named: "entries") > 0)

        // Erase the customer, and the agent (who is a customer too).
        for id in [customer, agentCustomer] {
            _ = try await world.database.transaction {
                try CustomerErasure.erase(customerID: id, source: "test", in: $0)
            }
        }
        let after = try await Self.occurrences(of: marker, in: world.database)
        #expect(after.isEmpty, "still holding the customer's text or name: \(after)")
        // What the company must keep: the agent, their rating and every ledger entry.
        let ledgerAfter = try #require(try await world.database.query(ledger, ["agent_payable:\(agent)"]).first)
        #expect(
            try ledgerAfter.decode(Int64.self, named: "entries") == ledgerBefore.decode(Int64.self, named: "entries"))
        #expect(try ledgerAfter.decode(Int64.self, named: "total") == ledgerBefore.decode(Int64.self, named: "total"))
        #expect(
            try await world.database.query(
                "SELECT count(*) FROM agents WHERE agent_id = $1 AND assignments_total > 0", [agent])[0].decode(
                    Int64.self, named: "count") == 1)
        #expect(
            try await world.database.query("SELECT count(*) FROM payout_earnings WHERE agent_id = $1", [agent])[0]
                .decode(Int64.self, named: "count") > 0)
        // Recorded, and idempotent: a second run changes nothing and is counted. One exception by design: the
        // erasure leaves unsent outbox rows to the broker (nothing lost), and a relay may send one in between (the
        // payout booking's rows stay unsent here until some other suite's relay sweeps them up); the second run
        // redacts exactly those. It is counted in the same snapshot as the erasure runs in.
        let (again, sentSince) = try await world.database.transaction(isolation: .repeatableRead) { transaction in
            let sentSince = try transaction.query(
                """
                SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND body <> '{"redacted":true}'
                  AND (strpos(body, '"' || $1 || '"') > 0 OR EXISTS (
                    SELECT FROM (SELECT conversation_id FROM conversations WHERE customer_id = $1
                                 UNION SELECT conversation_id FROM inquiries WHERE customer_id = $1) c
                    WHERE strpos(body, '"' || c.conversation_id || '"') > 0))
                """,
                [customer]
            ).single().decode(Int.self, named: "count")
            return (try CustomerErasure.erase(customerID: customer, source: "test-again", in: transaction), sentSince)
        }
        #expect(again["outbox"] == sentSince, "\(again)")
        #expect(again.filter { $0.key != "outbox" }.values.allSatisfy { $0 == 0 }, "\(again)")
        let record = try #require(
            try await world.database.query("SELECT runs FROM customer_erasures WHERE customer_id = $1", [customer])
                .first)
        #expect(try record.decode(Int.self, named: "runs") == 2)
        await world.tearDown([])
    }

    @Test func erasureRequestedEventIsAppliedOnceAndABadOneIsDeadLetteredWithAReason() async throws {
        let world = try await EscalationWorld.make("erase-event")
        let customer = "\(world.id)-c2"
        let marker = "Brynjulf\(world.id.prefix(8))"
        try await world.database.query(
            "INSERT INTO customers (customer_id, display_name) VALUES ($1, $2)", [customer, marker])
        let queue = "test.esc.\(world.id).privacy"
        let topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(queue)
        try await world.publisher.declare(topology)
        var settings = WorkerSettings(name: "privacy-\(world.id)", queue: queue, topology: topology)
        settings.retryTiers = PassthroughFleet.retryTiers
        let service = WorkerService(
            settings: settings, handler: ErasureHandler(), amqp: world.amqp, postgres: world.postgres,
            health: WorkerHealth(), logger: world.logger)
        let dead = try await world.tap([""], exchange: FleetNames.deadLetterExchange)
        let running = Task { try await service.run() }
        let request = ErasureRequestedV1(
            messageID: "\(world.id)-erase", customerID: customer, requestedAt: Timestamps.format(Date()))
        try await world.publishRaw(request.encodedBody(), id: request.messageID, queue: queue)
        try await world.publishRaw(request.encodedBody(), id: request.messageID, queue: queue)  // redelivered duplicate
        try await world.publishRaw(
            Array(
                #"{"schema":"erasure.requested.v1","message_id":"\#(world.id)-bad","requested_at":"2026-12-01T00:00:00Z"}"#
                    .utf8),
            id: "\(world.id)-bad", queue: queue)
        try await world.waitUntil("erased") {
            try await world.database.query("SELECT count(*) FROM customer_erasures WHERE customer_id = $1", [customer])[
                0
            ].decode(Int64.self, named: "count") == 1
        }
        #expect(try await Self.occurrences(of: marker, in: world.database).isEmpty)
        let reasons = try await dead.reasons(["\(world.id)-bad"])
        #expect(reasons["\(world.id)-bad"] == "schema_violation", "\(reasons)")
        #expect(
            try await world.database.query("SELECT runs FROM customer_erasures WHERE customer_id = $1", [customer])[0]
                .decode(Int.self, named: "runs") == 1)
        running.cancel()
        try? await running.value
        // Its own queue only: the topology also holds the shared dead-letter queue and retry tiers, which other suites
        // bind to at the same time (deleting them made another suite's queue.bind fail with NOT_FOUND).
        try? await world.publisher.deleteQueue(queue)
        await world.tearDown([])
    }

    @Test func retentionRedactsOldTextInBatchesAndKeepsRecentText() async throws {
        let world = try await EscalationWorld.make("retention")
        let agent = try await world.enrollAgent("ret")
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let old = try await world.inquire("old")
        let recent = try await world.inquire("recent")
        for conversation in [old, recent] {
            try await world.waitUntil("transcript") {
                try await world.database.query(
                    "SELECT count(*) FROM transcript_entries WHERE conversation_id = $1", [conversation])[0].decode(
                        Int64.self, named: "count") > 0
            }
        }
        await Self.stop(tasks)
        for (name, conversation) in [("old", old), ("recent", recent)] {
            try await world.database.query(
                """
                INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at)
                VALUES ($1, $2, $3, 'chat', 'en', 'I need a person', now())
                """, ["\(world.id)-inq-\(name)-stored", conversation, "\(world.id)-cus-\(name)"])
        }
        // Back-date the old conversation by 100 days.
        try await world.database.query(
            "UPDATE inquiries SET received_at = now() - interval '100 days' WHERE conversation_id = $1", [old])
        try await world.database.query(
            "UPDATE transcript_entries SET at = now() - interval '100 days' WHERE conversation_id = $1", [old])
        // Two archived dead letters: one 100 days old, one recent.
        for (name, age) in [("old", "100 days"), ("recent", "1 day")] {
            try await world.database.query(
                """
                INSERT INTO dead_letters (archive_key, message_id, queue, reason, exchange, routing_key, headers, body, dead_lettered_at)
                VALUES ($1, $1, 'concierge.classifier', 'schema_violation', '', 'concierge.classifier', '{}',
                        convert_to('{"text":"I need a person"}', 'UTF8'), now() - $2::interval)
                """, ["\(world.id)-dl-\(name)", age])
        }
        let job = RetentionJob(retention: .seconds(90 * 86_400), batchSize: 1)
        let redacted = try await job.enforce(on: world.database, logger: world.logger)
        #expect((redacted["inquiries"] ?? 0) >= 1 && (redacted["transcript_entries"] ?? 0) >= 1, "\(redacted)")
        #expect((redacted["dead_letters"] ?? 0) >= 1, "\(redacted)")
        let letters = try await world.database.query(
            "SELECT message_id, convert_from(body, 'UTF8') AS body FROM dead_letters WHERE message_id = ANY($1) ORDER BY message_id",
            [["\(world.id)-dl-old", "\(world.id)-dl-recent"]]
        ).map { try $0.decode(String.self, named: "body") }
        #expect(letters == [#"{"redacted":true}"#, #"{"text":"I need a person"}"#])
        let oldTexts = try await world.database.query(
            "SELECT DISTINCT text FROM transcript_entries WHERE conversation_id = $1", [old]
        ).map { try $0.decode(String.self, named: "text") }
        #expect(oldTexts == ["[redacted]"])
        #expect(
            try await world.database.query("SELECT text FROM inquiries WHERE conversation_id = $1", [old])[0].decode(
                String.self, named: "text") == "[redacted]")
        #expect(
            try await world.database.query("SELECT text FROM inquiries WHERE conversation_id = $1", [recent])[0].decode(
                String.self, named: "text") == "I need a person")
        // A second pass has nothing left to do.
        let second = try await job.enforce(on: world.database, logger: world.logger)
        #expect(second.values.allSatisfy { $0 == 0 }, "\(second)")
        await world.tearDown([])
    }
}
