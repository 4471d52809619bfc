import ConciergeDemo
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// What `conciergectl demo check` reads, against the real database: routing, the AI's reply or hand-off, the
/// conversation's outcome, and how often each line was applied.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct DemoDatabaseTests {
    @Test func theCheckReadsRoutingRepliesHandOffsAndOutcomes() async throws {
        let logger = Logger(label: "test.demo")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger
        )
        try await Migrator.fleet().migrate(database, logger: logger)
        let id = TestServices.uniqueName("demo").replacingOccurrences(of: ".", with: "-")
        let old = Date().addingTimeInterval(-3600)
        for (message, route, decidedAt) in [
            ("answered", "ai", old), ("handed", "ai", old), ("person", "human", Date()),
        ] {
            _ = try await database.query(
                """
                INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at, received_at)
                VALUES ($1, $2, $3, 'chat', 'en', 'constructed', $4, $4)
                """,
                ["\(id)-\(message)", "conv-\(id)-\(message)", "\(id)-customer", decidedAt]
            )
            _ = try await database.query(
                """
                INSERT INTO routing_decisions (message_id, customer_id, conversation_id, route, priority, intent, confidence,
                    top_intent, sensitive, reasons, model_version, decided_at)
                VALUES ($1, $2, $3, $4, 'normal', 'next_instalment', 0.9, 'next_instalment', false, '{intent:next_instalment}', 'test', $5)
                """,
                ["\(id)-\(message)", "\(id)-customer", "conv-\(id)-\(message)", route, decidedAt]
            )
        }
        _ = try await database.query(
            """
            INSERT INTO ai_replies (reply_id, inquiry_id, conversation_id, customer_id, intent, language, kind, text, facts, backend, created_at)
            VALUES ($1 || '.reply', $1, $2, $3, 'next_instalment', 'en', 'answer', 'Your next instalment of 41.67 EUR is due on 1 January 2027.', '[]', 'templates', $4)
            """,
            ["\(id)-answered", "conv-\(id)-answered", "\(id)-customer", old.addingTimeInterval(1)]
        )
        _ = try await database.query(
            """
            INSERT INTO ai_handoffs (inquiry_id, conversation_id, customer_id, intent, reason, summary, facts, created_at)
            VALUES ($1, $2, $3, 'next_instalment', 'no_facts', 'constructed', '[]', $4)
            """,
            ["\(id)-handed", "conv-\(id)-handed", "\(id)-customer", old.addingTimeInterval(1)]
        )
        func expect(_ message: String, _ kind: DemoExpectation.Kind) -> DemoExpectation {
            DemoExpectation(
                messageID: "\(id)-\(message)", conversationID: "conv-\(id)-\(message)", customerID: "\(id)-customer",
                language: "en", kind: kind, intent: "next_instalment", purchaseID: nil, vip: false, wave: 1, reason: nil
            )
        }
        let expectations = [
            expect("answered", .account), expect("handed", .account), expect("person", .human),
            expect("lost", .account),
        ]
        let observed = try await database.transaction {
            try DemoDatabase.observed(expectations, windowSeconds: 60, in: $0)
        }
        await database.close()

        let answered = try #require(observed["\(id)-answered"])
        #expect(answered.route == "ai")
        #expect(answered.replyKind == "answer")
        #expect(answered.replyIntent == "next_instalment")
        #expect(answered.replyText?.contains("41.67 EUR") == true)
        #expect(answered.outcome == "resolved")
        #expect(answered.applied == 1)
        #expect(observed["\(id)-handed"]?.handoffReason == "no_facts")
        #expect(observed["\(id)-handed"]?.outcome == "handed_off")
        #expect(observed["\(id)-person"]?.route == "human")
        #expect(observed["\(id)-person"]?.outcome == "human")
        #expect(observed["\(id)-lost"]?.applied ?? 0 == 0)
        #expect(observed["\(id)-lost"]?.route == nil)

        let summary = DemoAnswerCheck().check(expectations: expectations, observed: observed, facts: [:])
        #expect(summary.routine == 3)
        #expect(summary.routineResolved == 1)
        #expect(summary.routineHandoffs == ["no_facts": 1])
        #expect(summary.missing == ["\(id)-lost"])
        #expect(!summary.passed)
    }
}
