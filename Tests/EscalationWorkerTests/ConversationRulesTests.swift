import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// The rules around a human conversation, through the real escalation worker, broker and database: when a rating
/// counts, when the customer hears again about the line, how matching widens, what a hand-back does and what the
/// agent is told on accepting.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct ConversationRulesTests {
    static func ratingCount(_ agent: String, _ world: EscalationWorld) async throws -> Int {
        try await world.database.query("SELECT rating_count FROM agents WHERE agent_id = $1", [agent]).single().decode(
            Int.self, named: "rating_count")
    }

    @Test func aRatingOutsideTheWindowOrOfAnUnresolvedConversationIsDeadLetteredAndCountsNothing() async throws {
        let world = try await EscalationWorld.make("ratewin") { settings in
            settings.ratingWindowHours = 168
        }
        let agent = try await world.enrollAgent("rae", capacity: 2)
        let dead = try await world.tap([""], exchange: FleetNames.deadLetterExchange)
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        var conversations: [String] = []
        for name in ["done", "open"] {
            // One at a time: the agent has one pending offer at most.
            let conversation = try await world.inquire(name)
            conversations.append(conversation)
            let offer = try await world.pendingOffer(conversation, attempt: 1)
            #expect(offer.agentID == agent)
            try await world.send(agent, .accept, offerID: offer.offerID)
            try await world.waitForState(conversation, "assigned")
        }
        let (resolved, open) = (conversations[0], conversations[1])
        try await world.send(agent, .resolve, conversationID: resolved, outcome: "resolved")
        try await world.waitForState(resolved, "resolved")
        // The resolution was a little over a week ago (the window is 168 hours).
        try await world.database.query(
            "UPDATE assignments SET resolved_at = now() - interval '169 hours' WHERE conversation_id = $1 AND state = 'resolved'",
            [resolved]
        )
        func rate(_ id: String, _ conversation: String, _ name: String) async throws {
            try await world.sendFeedback(
                FeedbackV1(
                    messageID: "\(world.id)-\(id)", conversationID: conversation, agentID: agent,
                    customerID: "\(world.id)-cus-\(name)", csat: 5, submittedAt: Timestamps.format(Date()))
            )
        }
        try await rate("late", resolved, "done")
        try await rate("unresolved", open, "open")
        let reasons = try await dead.reasons(["late", "unresolved"].map { "\(world.id)-\($0)" })
        #expect(reasons["\(world.id)-late"] == "rating_window_closed")
        #expect(reasons["\(world.id)-unresolved"] == "not_resolved")
        #expect(try await Self.ratingCount(agent, world) == 0)
        let stored = try await world.database.query(
            "SELECT count(*) FROM agent_feedback WHERE conversation_id = ANY($1::text[])", [[resolved, open]]
        ).single().decode(Int.self, named: "count")
        #expect(stored == 0)
        #expect(try await world.outboxBody("\(world.id)-late.payout") == nil)
        #expect(try await world.outboxBody("\(world.id)-unresolved.payout") == nil)

        // Just inside the window the same customer's rating counts: it was the window that refused the late one.
        try await world.database.query(
            "UPDATE assignments SET resolved_at = now() - interval '167 hours' WHERE conversation_id = $1 AND state = 'resolved'",
            [resolved]
        )
        try await rate("in-time", resolved, "done")
        try await world.waitUntil("the rating inside the window") { try await Self.ratingCount(agent, world) == 1 }
        #expect(try await world.outboxBody("\(world.id)-in-time.payout") != nil)
        await dead.close()
        await world.tearDown(tasks)
    }

    @Test func theWaitingNoticeIsRepeatedOnlyWhenTheExpectedWaitChangesMaterially() async throws {
        let world = try await EscalationWorld.make("notify") { settings in
            settings.notifyHandleTimeSeconds = 240
            settings.notifyMinimumIntervalSeconds = 1
        }
        let tap = try await world.tap(["reply.chat"])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        // Nobody online: one slot is assumed, so number 1 in line waits about 4 minutes.
        let conversation = try await world.inquire("waiter")
        let first = try await tap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .waiting
        }
        #expect(first.position == 1)
        #expect(first.etaMinutes == 4)
        // Many dispatcher ticks and several minimum intervals later, nothing material changed: no second notice.
        try await tap.drain(for: .seconds(3))
        let notices = {
            tap.all(ConversationUpdateV1.self).filter { $0.conversationID == conversation && $0.kind == .waiting }
        }
        #expect(notices().count == 1, "\(notices().map(\.etaMinutes))")
        // Four slots come online (staff who write German, so none of them is offered this English conversation):
        // the expected wait drops from 4 minutes to 1, and the customer is told.
        let staff = try await world.enrollStaff("Lena", languages: ["de"], capacity: 4)
        try await world.online([staff])
        let second = try await tap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .waiting && $0.messageID != first.messageID
        }
        #expect(second.etaMinutes == 1)
        #expect(second.position == 1)
        #expect(second.messageID == "\(conversation).waiting.2")
        #expect(try await world.offers(conversation).isEmpty)
        try await tap.drain(for: .seconds(2))
        #expect(notices().count == 2, "\(notices().map(\.etaMinutes))")
        let sent = try await world.database.query(
            "SELECT notices_sent FROM escalations WHERE escalation_id = $1", [conversation]
        )
        .single().decode(Int.self, named: "notices_sent")
        #expect(sent == 2)
        await tap.close()
        await world.tearDown(tasks)
    }

    @Test func afterTheWideningWaitASkillIsRelaxedButNeverTheLanguage() async throws {
        let world = try await EscalationWorld.make("widen", offerTimeoutMilliseconds: 1_000) { settings in
            settings.widenAfterSeconds = 2
            settings.reofferCooldownMilliseconds = 200
        }
        // The only agent with the skill writes German; the English-speaking one lacks the skill.
        let german = try await world.enrollAgent("jonas", languages: ["de"], skills: ["general", "fraud"])
        let english = try await world.enrollAgent("emma", languages: ["en"], skills: ["general"])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([german, english])
        let conversation = try await world.inquire("stolen", skills: ["fraud"], language: "en")
        let first = try await world.pendingOffer(conversation, attempt: 1)
        #expect(first.agentID == english)
        let waited = try await world.database.query(
            """
            SELECT extract(epoch FROM o.offered_at - e.enqueued_at)::float8 AS waited FROM offers o JOIN escalations e USING (escalation_id)
            WHERE o.offer_id = $1
            """,
            [first.offerID]
        ).single().decode(Double.self, named: "waited")
        #expect(waited >= 2, "offered without the skill after \(waited) s")
        // Declined: another round goes to the English speaker again, never to the German speaker with the skill.
        try await world.send(english, .decline, offerID: first.offerID, reason: "busy")
        let second = try await world.pendingOffer(conversation, attempt: 2)
        #expect(second.agentID == english)
        #expect(try await world.offers(conversation).allSatisfy { $0.agentID == english })
        let skills = try await world.database.query(
            "SELECT skills FROM escalations WHERE escalation_id = $1", [conversation]
        )
        .single().decode([String].self, named: "skills")
        #expect(skills == ["fraud"], "widening relaxes the match, not the stored need")
        await world.tearDown(tasks)
    }

    @Test func aHandedBackConversationFreesTheAgentAndAnotherTakesItWithTheNote() async throws {
        let world = try await EscalationWorld.make("handback")
        let first = try await world.enrollAgent("hal")
        let second = try await world.enrollAgent("ida")
        let firstTap = try await world.tap([AssignmentV1.routingKey(agentID: first)])
        let secondTap = try await world.tap([AssignmentV1.routingKey(agentID: second)])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([first])
        let conversation = try await world.inquire("bounced", skills: ["general"])
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        #expect(offer.agentID == first)
        try await world.send(first, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        // A transfer without a skill: back to the line.
        let handBack = AgentEventV1(
            messageID: "\(world.id)-handback", agentID: first, event: .transfer, sentAt: Timestamps.format(Date()),
            conversationID: conversation, note: "Needs someone who knows the Dutch shops"
        )
        try await world.publishRaw(handBack.encodedBody(), id: handBack.messageID, queue: world.agentEventsQueue)
        let released = try await firstTap.next(AgentNoticeV1.self) {
            $0.conversationID == conversation && $0.kind == .conversationReleased
        }
        #expect(released.reason == "handed_back")
        try await world.waitUntil("the first agent's slot freed") {
            try await world.database.query("SELECT active_conversations FROM agents WHERE agent_id = $1", [first])
                .single().decode(Int.self, named: "active_conversations") == 0
        }
        let line = try await world.database.query(
            "SELECT front_of_line, excluded_agent_id, skills FROM escalations WHERE escalation_id = $1", [conversation]
        ).single()
        #expect(try line.decode(Bool.self, named: "front_of_line"))
        #expect(try line.decode(String?.self, named: "excluded_agent_id") == first)
        #expect(try line.decode([String].self, named: "skills") == ["general"])
        try await world.online([second])
        let retry = try await world.pendingOffer(conversation, attempt: 2)
        #expect(retry.agentID == second)
        try await world.send(second, .accept, offerID: retry.offerID)
        let context = try await secondTap.next(AssignmentV1.self) { $0.conversationID == conversation }
        let note = try #require(context.transcript.first { $0.kind == "released" })
        #expect(note.text.contains("handed back to the line by \(first)"), "\(note.text)")
        #expect(note.text.contains("Needs someone who knows the Dutch shops"), "\(note.text)")
        #expect(note.authorID == first)
        let holders = try await world.database.query(
            "SELECT agent_id, state FROM assignments WHERE conversation_id = $1 ORDER BY assigned_at", [conversation]
        ).map { "\(try $0.decode(String.self, named: "agent_id")):\(try $0.decode(String.self, named: "state"))" }
        #expect(holders == ["\(first):released", "\(second):active"])
        #expect(try await world.offers(conversation).filter { $0.agentID == first }.count == 1)
        await firstTap.close()
        await secondTap.close()
        await world.tearDown(tasks)
    }

    @Test func theAssignmentCarriesTheCustomersAccountFactsAndASummaryForVIPAndSensitiveRoutes() async throws {
        let world = try await EscalationWorld.make("context")
        let agent = try await world.enrollAgent("vic", capacity: 2)
        let tap = try await world.tap([AssignmentV1.routingKey(agentID: agent)])
        // The VIP customer's account: a purchase on a plan (one instalment paid, one still to come), an open return and
        // a completed refund; another customer's purchase.
        let vip = "\(world.id)-cus-star"
        let other = "\(world.id)-cus-nobody"
        for (sql, values) in [
            (
                "INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on) VALUES ($1, $2, 'Nordic Boots', 'NB-7', 14997, 'EUR', '2026-11-02')",
                ["\(world.id)-p1", vip]
            ),
            (
                "INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on) VALUES ($1, $2, 'Lamp House', 'LH-1', 2500, 'EUR', '2026-10-01')",
                ["\(world.id)-p2", vip]
            ),
            (
                "INSERT INTO purchases (purchase_id, customer_id, merchant, order_reference, amount_minor, currency, purchased_on) VALUES ($1, $2, 'Elsewhere', 'X-1', 999, 'EUR', '2026-11-20')",
                ["\(world.id)-p3", other]
            ),
            (
                "INSERT INTO payment_plans (plan_id, purchase_id, kind, instalment_count, currency) VALUES ($1, $2, 'pay_in_3', 3, 'EUR')",
                ["\(world.id)-plan", "\(world.id)-p1"]
            ),
        ] as [(String, [String])] {
            try await world.database.query(sql, values)
        }
        try await world.database.query(
            """
            INSERT INTO instalments (plan_id, sequence, due_on, amount_minor, currency, status) VALUES
              ($1, 1, '2026-11-02', 4999, 'EUR', 'paid'), ($1, 2, '2026-12-02', 4999, 'EUR', 'overdue'), ($1, 3, '2027-01-02', 4999, 'EUR', 'scheduled')
            """,
            ["\(world.id)-plan"]
        )
        try await world.database.query(
            """
            INSERT INTO refunds (refund_id, customer_id, purchase_id, kind, amount_minor, currency, status, requested_on, expected_on) VALUES
              ($1, $3, $4, 'return', 2500, 'EUR', 'in_transit', '2026-11-25', '2026-12-10'),
              ($2, $3, $4, 'refund', 500, 'EUR', 'completed', '2026-10-05', NULL)
            """,
            ["\(world.id)-r-open", "\(world.id)-r-done", vip, "\(world.id)-p2"]
        )
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])

        let starred = try await world.inquire("star", vip: true, skills: [], customer: vip, reasons: ["vip"])
        var offer = try await world.pendingOffer(starred, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        let vipContext = try await tap.next(AssignmentV1.self) { $0.conversationID == starred }
        #expect(vipContext.customer.vip)
        #expect(vipContext.summary.vip)
        #expect(vipContext.summary.reasons == ["vip"])
        #expect(vipContext.summary.text.contains("VIP customer."), "\(vipContext.summary.text)")
        #expect(!vipContext.summary.text.contains("asked for a person"))
        let facts = vipContext.facts.map { "\($0.kind) \($0.id)" }
        #expect(
            facts == [
                "purchase \(world.id)-p1", "purchase \(world.id)-p2", "instalment \(world.id)-plan#2",
                "instalment \(world.id)-plan#3",
                "refund \(world.id)-r-open",
            ],
            "\(facts)"
        )
        let byID = Dictionary(uniqueKeysWithValues: vipContext.facts.map { ($0.id, $0.summary) })
        #expect(byID["\(world.id)-p1"] == "Nordic Boots NB-7, 149.97 EUR on 2026-11-02, active")
        #expect(byID["\(world.id)-plan#2"] == "Nordic Boots instalment 49.99 EUR due 2026-12-02, overdue")
        #expect(byID["\(world.id)-r-open"] == "Lamp House return 25.00 EUR, in_transit, expected 2026-12-10")

        let scared = try await world.inquire(
            "scared", skills: [], intent: "report_fraud", reasons: ["sensitive:report_fraud"], sensitive: true
        )
        offer = try await world.pendingOffer(scared, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        let sensitiveContext = try await tap.next(AssignmentV1.self) { $0.conversationID == scared }
        #expect(sensitiveContext.summary.reasons == ["sensitive:report_fraud"])
        #expect(
            sensitiveContext.summary.text.contains("Sensitive topic (report_fraud)."),
            "\(sensitiveContext.summary.text)")
        #expect(sensitiveContext.summary.intent == "report_fraud")
        // A customer with no account on record: no facts, and none of anyone else's.
        #expect(sensitiveContext.facts.isEmpty, "\(sensitiveContext.facts)")
        await tap.close()
        await world.tearDown(tasks)
    }
}
