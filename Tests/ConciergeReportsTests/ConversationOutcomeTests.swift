import ConciergePostgres
import ConciergeReports
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The outcome definitions on constructed conversations, against the real database: an AI answer is resolved only
/// when, within the window, the customer neither asked for a person, nor was handed off, nor came back about the same
/// intent in another conversation; pending until the window closes. Each test's conversations live in a period of
/// their own (a random hour around 2001–2004), so `since`/`until` isolate them from anything else in the database.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ConversationOutcomeTests {
    /// A period of its own and the rows written into it.
    struct World {
        let database: PostgresConnection
        let id: String
        let start: Date

        static func make() async throws -> World {
            let logger = Logger(label: "test.outcomes")
            let database = try await PostgresConnection.connect(
                configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger
            )
            try await Migrator.fleet().migrate(database, logger: logger)
            let id = TestServices.uniqueName("out").replacingOccurrences(of: ".", with: "-")
            // Whole seconds, somewhere in 2001-2004: no other test writes routing decisions there.
            let start = Date(timeIntervalSince1970: 978_307_200 + Double(Int.random(in: 0..<100_000_000)))
            return World(database: database, id: id, start: start)
        }

        func at(_ seconds: Double) -> Date { self.start.addingTimeInterval(seconds) }

        /// An inquiry and its routing decision, `seconds` after the start; received one second before it is decided.
        func inquiry(
            _ message: String, conversation: String, customer: String, at seconds: Double, route: String = "ai",
            intent: String?, reasons: [String]? = nil, language: String = "en"
        ) async throws {
            let messageID = "\(self.id)-\(message)"
            _ = try await self.database.query(
                """
                INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at, received_at)
                VALUES ($1, $2, $3, 'chat', $4, 'constructed', $5, $5)
                """,
                [messageID, "\(self.id)-\(conversation)", "\(self.id)-\(customer)", language, self.at(seconds - 1)]
            )
            _ = try await self.database.query(
                """
                INSERT INTO routing_decisions (message_id, customer_id, conversation_id, route, priority, intent, confidence,
                    top_intent, sensitive, reasons, model_version, decided_at)
                VALUES ($1, $2, $3, $4, $5, $6, 0.9, coalesce($6, 'unknown'), false, $7, 'test', $8)
                """,
                [
                    messageID, "\(self.id)-\(customer)", "\(self.id)-\(conversation)", route,
                    route == "ai" ? "normal" : "high",
                    intent, reasons ?? ["intent:\(intent ?? "unknown")"], self.at(seconds),
                ]
            )
        }

        /// The AI's answer (or clarifying question) to an inquiry, `seconds` after the start.
        func reply(
            _ message: String, conversation: String, customer: String, intent: String, at seconds: Double,
            kind: String = "answer"
        ) async throws {
            _ = try await self.database.query(
                """
                INSERT INTO ai_replies (reply_id, inquiry_id, conversation_id, customer_id, intent, language, kind, text, facts, backend, created_at)
                VALUES ($1 || '.reply', $1, $2, $3, $4, 'en', $5, 'constructed', '[]', 'test', $6)
                """,
                [
                    "\(self.id)-\(message)", "\(self.id)-\(conversation)", "\(self.id)-\(customer)", intent, kind,
                    self.at(seconds),
                ]
            )
        }

        func handoff(_ message: String, conversation: String, customer: String, reason: String, at seconds: Double)
            async throws
        {
            _ = try await self.database.query(
                """
                INSERT INTO ai_handoffs (inquiry_id, conversation_id, customer_id, intent, reason, summary, facts, created_at)
                VALUES ($1, $2, $3, NULL, $4, 'constructed', '[]', $5)
                """,
                [
                    "\(self.id)-\(message)", "\(self.id)-\(conversation)", "\(self.id)-\(customer)", reason,
                    self.at(seconds),
                ]
            )
        }

        /// A human-lane episode: joined the line, assigned, first agent message, resolved (seconds after the start).
        func escalation(
            conversation: String, customer: String, enqueued: Double, assigned: Double, firstResponse: Double,
            resolved: Double,
            slaBreached: Bool
        ) async throws {
            _ = try await self.database.query(
                """
                INSERT INTO escalations (escalation_id, conversation_id, customer_id, market, language, skills, intent, priority, vip,
                    service_class, class_rank, complexity, reasons, state, enqueued_at, sla_due_at, sla_breached, assigned_at,
                    first_response_at, resolved_at)
                VALUES ($1 || '.esc', $1, $2, 'EU', 'en', '{general}', NULL, 'high', true, 'vip', 3, 'routine', '{vip}', 'resolved',
                    $3, $3, $4, $5, $6, $7)
                """,
                [
                    "\(self.id)-\(conversation)", "\(self.id)-\(customer)", self.at(enqueued), slaBreached,
                    self.at(assigned),
                    self.at(firstResponse), self.at(resolved),
                ]
            )
        }

        func rating(conversation: String, customer: String, csat: Int, at seconds: Double) async throws {
            let agent = "\(self.id)-agent"
            _ = try await self.database.query(
                "INSERT INTO customers (customer_id, display_name) VALUES ($1, 'Agent') ON CONFLICT DO NOTHING",
                ["\(agent)-cus"]
            )
            _ = try await self.database.query(
                """
                INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity)
                VALUES ($1, $2, 'active', 'test', 'EU', '{en}', '{general}', 2) ON CONFLICT DO NOTHING
                """,
                [agent, "\(agent)-cus"]
            )
            _ = try await self.database.query(
                """
                INSERT INTO agent_feedback (message_id, conversation_id, agent_id, customer_id, csat, submitted_at)
                VALUES ($1 || '.rating', $1, $2, $3, $4, $5)
                """,
                ["\(self.id)-\(conversation)", agent, "\(self.id)-\(customer)", csat, self.at(seconds)]
            )
        }

        func outcomes(until: Double = 6 * 3600, asOf: Double = 48 * 3600, window: Duration = .seconds(24 * 3600))
            async throws
            -> [String: ConversationOutcome]
        {
            let rows = try await ConversationOutcomes.fetch(
                self.database, since: self.start, until: self.at(until), window: window, asOf: self.at(asOf)
            )
            // Only this world's conversations: other worlds' (this suite's earlier runs stay in the shared test
            // database) may fall in the same hours, and their ids end the same way ("<other id>-c1" crashed the
            // dictionary once).
            let prefix = "\(self.id)-"
            return Dictionary(
                uniqueKeysWithValues: rows.filter { $0.conversationID.hasPrefix(prefix) }.map {
                    (String($0.conversationID.dropFirst(prefix.count)), $0)
                }
            )
        }
    }

    /// The known workload: one conversation of each kind (see the comments), in the first six hours of the period.
    static func knownWorkload(_ w: World) async throws {
        // c1: answered, nothing else -> resolved (pending before the window closes).
        try await w.inquiry("m1", conversation: "c1", customer: "u1", at: 1, intent: "next_instalment")
        try await w.reply("m1", conversation: "c1", customer: "u1", intent: "next_instalment", at: 2)
        // c3a: answered, the customer came back about the same intent in another conversation 3 h later -> repeat;
        // c3b, that other conversation, answered and not repeated -> resolved.
        try await w.inquiry("m3a", conversation: "c3a", customer: "u3", at: 10, intent: "refund_status")
        try await w.reply("m3a", conversation: "c3a", customer: "u3", intent: "refund_status", at: 11)
        try await w.inquiry("m3b", conversation: "c3b", customer: "u3", at: 3 * 3600, intent: "refund_status")
        try await w.reply("m3b", conversation: "c3b", customer: "u3", intent: "refund_status", at: 3 * 3600 + 1)
        // c4a: the same intent again, but after the window (30 h; that conversation is outside the period) -> resolved.
        try await w.inquiry("m4a", conversation: "c4a", customer: "u4", at: 20, intent: "late_fee")
        try await w.reply("m4a", conversation: "c4a", customer: "u4", intent: "late_fee", at: 21)
        try await w.inquiry("m4b", conversation: "c4b", customer: "u4", at: 30 * 3600, intent: "late_fee")
        // c5a: back within the window but about another intent (c5b) -> both resolved.
        try await w.inquiry("m5a", conversation: "c5a", customer: "u5", at: 30, intent: "payment_status")
        try await w.reply("m5a", conversation: "c5a", customer: "u5", intent: "payment_status", at: 31)
        try await w.inquiry("m5b", conversation: "c5b", customer: "u5", at: 50 * 60, intent: "late_fee")
        try await w.reply("m5b", conversation: "c5b", customer: "u5", intent: "late_fee", at: 50 * 60 + 1)
        // c6: answered, then asked for a person in the same conversation -> handed off (asked_for_human).
        try await w.inquiry("m6", conversation: "c6", customer: "u6", at: 40, intent: "payment_failed")
        try await w.reply("m6", conversation: "c6", customer: "u6", intent: "payment_failed", at: 41)
        try await w.inquiry(
            "m6b", conversation: "c6", customer: "u6", at: 100, route: "human", intent: nil,
            reasons: ["asked_for_human"])
        // c7: routed to the AI, which handed it off without an answer -> handed off (no_facts), not AI-answered.
        try await w.inquiry("m7", conversation: "c7", customer: "u7", at: 50, intent: "refund_status")
        try await w.handoff("m7", conversation: "c7", customer: "u7", reason: "no_facts", at: 51)
        // c8: a VIP straight to the human lane: waited 10 s, first agent message at 15 s, resolved at 100 s, rated 4.
        try await w.inquiry(
            "m8", conversation: "c8", customer: "u8", at: 60, route: "human_priority", intent: "payment_status",
            reasons: ["vip"])
        try await w.escalation(
            conversation: "c8", customer: "u8", enqueued: 61, assigned: 71, firstResponse: 74, resolved: 159,
            slaBreached: true)
        try await w.rating(conversation: "c8", customer: "u8", csat: 4, at: 170)
        // c9: answered; asked for a person, but 25 h later (after the window) -> resolved.
        try await w.inquiry("m9", conversation: "c9", customer: "u9", at: 70, intent: "pay_early")
        try await w.reply("m9", conversation: "c9", customer: "u9", intent: "pay_early", at: 70.5)
        try await w.inquiry(
            "m9b", conversation: "c9", customer: "u9", at: 25 * 3600, route: "human", intent: nil,
            reasons: ["asked_for_human"])
        // c10a, c10b: a complaint to the human lane twice within 2 h -> c10a is a repeat inquiry of the human lane.
        try await w.inquiry(
            "m10a", conversation: "c10a", customer: "u10", at: 80, route: "human", intent: "complaint",
            reasons: ["intent:complaint"])
        try await w.inquiry(
            "m10b", conversation: "c10b", customer: "u10", at: 2 * 3600, route: "human", intent: "complaint",
            reasons: ["intent:complaint"])
    }

    @Test func outcomesFollowTheDefinitionOnConstructedConversations() async throws {
        let w = try await World.make()
        try await Self.knownWorkload(w)
        let outcomes = try await w.outcomes()
        #expect(
            Set(outcomes.keys) == ["c1", "c3a", "c3b", "c4a", "c5a", "c5b", "c6", "c7", "c8", "c9", "c10a", "c10b"])
        let expected: [String: ConversationOutcome.Outcome] = [
            "c1": .resolved, "c3a": .repeat, "c3b": .resolved, "c4a": .resolved, "c5a": .resolved, "c5b": .resolved,
            "c6": .handedOff, "c7": .handedOff, "c8": .human, "c9": .resolved, "c10a": .human, "c10b": .human,
        ]
        for (conversation, outcome) in expected {
            #expect(outcomes[conversation]?.outcome == outcome, "\(conversation)")
        }
        #expect(outcomes["c6"]?.handoffReason == "asked_for_human")
        #expect(outcomes["c7"]?.handoffReason == "no_facts")
        #expect(outcomes["c7"]?.aiAnswered == false)
        #expect(outcomes["c8"]?.handoffReason == "vip")
        #expect(outcomes["c9"]?.handoffReason == nil)
        #expect(outcomes["c3a"]?.repeatContact == true)
        #expect(outcomes["c10a"]?.repeatContact == true)
        #expect(outcomes["c10b"]?.repeatContact == false)
        #expect(outcomes["c5a"]?.repeatContact == false)
        // Received 1 s before the decision: c1 answered 2 s after receipt; c8's agent spoke 15 s after, resolved at 100 s.
        #expect(outcomes["c1"]?.firstResponseMilliseconds == 2000)
        #expect(outcomes["c1"]?.resolutionMilliseconds == 2000)
        #expect(outcomes["c8"]?.firstResponseMilliseconds == 15000)
        #expect(outcomes["c8"]?.resolutionMilliseconds == 100_000)
        #expect(outcomes["c8"]?.humanWaitMilliseconds == 10_000)
        #expect(outcomes["c8"]?.slaBreached == true)
        #expect(outcomes["c8"]?.csat == 4)
        #expect(outcomes["c8"]?.lane == .human)
        #expect(outcomes["c3a"]?.resolutionMilliseconds == nil)
    }

    @Test func anAnswerIsPendingUntilItsWindowClosesThenResolved() async throws {
        let w = try await World.make()
        try await w.inquiry("m1", conversation: "c1", customer: "u1", at: 1, intent: "next_instalment")
        try await w.reply("m1", conversation: "c1", customer: "u1", intent: "next_instalment", at: 2)
        try await w.inquiry("m2", conversation: "c2", customer: "u2", at: 5, intent: "refund_status")
        try await w.reply(
            "m2", conversation: "c2", customer: "u2", intent: "refund_status", at: 6, kind: "clarification")
        let early = try await w.outcomes(asOf: 3 * 3600)
        #expect(early["c1"]?.outcome == .pending)
        #expect(early["c1"]?.resolutionMilliseconds == nil)
        #expect(early["c2"]?.outcome == .unanswered)
        // A short window (the demo's): closed 60 s after the answer.
        let short = try await w.outcomes(asOf: 63, window: .seconds(60))
        #expect(short["c1"]?.outcome == .resolved)
        let justBefore = try await w.outcomes(asOf: 61, window: .seconds(60))
        #expect(justBefore["c1"]?.outcome == .pending)
    }

    @Test func theReportsFiguresOnAKnownWorkload() async throws {
        let w = try await World.make()
        try await Self.knownWorkload(w)
        let rows = Array(try await w.outcomes().values)
        let report = OutcomeReport(
            outcomes: rows, since: w.start, until: w.at(6 * 3600), asOf: w.at(48 * 3600), window: .seconds(86400))
        let figures = report.all
        #expect(figures.conversations == [.ai: 9, .human: 3])  // c8, c10a, c10b started with a person
        #expect(figures.aiAnswered == 8)
        #expect(figures.automationRate == 0.6667)  // 8 of 12
        #expect(figures.aiResolutionRate == 0.75)  // 6 resolved of 8 answered
        #expect(figures.repeatInquiryRate[.ai] == 0.1111)  // c3a of 9
        #expect(figures.repeatInquiryRate[.human] == 0.3333)  // c10a of 3
        #expect(figures.handoffsByReason == ["asked_for_human": 1, "no_facts": 1, "vip": 1, "intent": 2])
        #expect(figures.slaBreaches == 1)
        #expect(figures.csat[.human] == .init(count: 1, average: 4))
        #expect(figures.humanWait.p50 == 10_000)
        // AI first responses (ms): c1 2000, c3a 2000, c3b 2000, c4a 2000, c5a 2000, c5b 2000, c6 2000, c9 1500 (c7 none).
        #expect(figures.firstResponse[.ai] == .init([2000, 2000, 2000, 2000, 2000, 2000, 2000, 1500]))
        #expect(figures.firstResponse[.ai]?.p50 == 2000)
        #expect(report.byIntent["refund_status"]?.conversations == [.ai: 3, .human: 0])
        // c3b resolved, c3a came back; c7 not answered
        #expect(report.byIntent["refund_status"]?.aiResolutionRate == 0.5)
        #expect(report.byIntent["complaint"]?.repeatInquiryRate[.human] == 0.5)

        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        let keys = Set(json?.keys.map { $0 } ?? [])
        for key in [
            "conversations", "automation_rate", "ai_resolution_rate", "repeat_inquiry_rate", "handoffs_by_reason",
            "first_response_ms", "resolution_ms", "human_wait_ms", "sla_breaches", "csat", "by_intent",
            "window_seconds",
        ] {
            #expect(keys.contains(key), "\(key)")
        }
        let firstResponse = json?["first_response_ms"] as? [String: [String: Any]]
        #expect(firstResponse?["ai"]?["p50"] as? Int == 2000)
        #expect(firstResponse?["human"]?["p90"] as? Int == 15000)
        #expect((json?["repeat_inquiry_rate"] as? [String: Any])?["ai"] as? Double == 0.1111)
        #expect(try report.json() == (try report.json()), "same report, same bytes")
        let prometheus = report.prometheus()
        #expect(prometheus.contains("concierge_report_ai_resolution_ratio 0.75"))
        #expect(prometheus.contains("concierge_report_repeat_inquiry_ratio{lane=\"human\"} 0.3333"))
        #expect(prometheus.contains("concierge_report_first_response_seconds{lane=\"human\",quantile=\"0.5\"} 15.0"))
    }

    @Test(arguments: [
        ([Int64](), nil as Int64?, nil as Int64?),
        ([5], 5, 5),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 9),
        ([10, 1, 7], 7, 10),
    ])
    func percentilesAreNearestRank(values: [Int64], p50: Int64?, p90: Int64?) {
        let percentiles = OutcomeFigures.Percentiles(values)
        #expect(percentiles.p50 == p50)
        #expect(percentiles.p90 == p90)
        #expect(percentiles.count == values.count)
    }
}
