import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import PayoutWorker
import Testing

/// The human conversation through the real escalation worker, broker and database: what the agent and the customer
/// receive, in order and once, and that no conversation gets stuck.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct HumanConversationTests {
    @Test func wholeConversationReachesBothSidesOnceAndInOrder() async throws {
        let world = try await EscalationWorld.make("whole")
        let agent = try await world.enrollAgent("Sam")
        let customerTap = try await world.tap(["reply.chat"])
        let agentTap = try await world.tap([
            OfferV1.routingKey(agentID: agent), AssignmentV1.routingKey(agentID: agent),
        ])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("alex")
        let customer = "\(world.id)-cus-alex"

        // The offer shows what the agent needs to decide, including the pay it means under the rate card.
        let offer = try await agentTap.next(OfferV1.self) { $0.conversationID == conversation }
        #expect(offer.preview == "I need a person")
        #expect(offer.waitedSeconds != nil)
        let pay = try #require(offer.pay)
        #expect(pay.currency == "EUR")
        #expect(pay.amountMinor >= 250, "routine base fee 2.50 EUR, with surge: \(pay)")
        #expect(pay.model == "per_resolution")

        // The customer is told where they are in the line.
        let waiting = try await customerTap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .waiting
        }
        #expect(waiting.position == 1)
        #expect(waiting.text.contains("number 1 in line"))

        try await world.send(agent, .accept, offerID: offer.offerID)
        // The agent gets the context: transcript so far, summary for this route, the customer's first name.
        let context = try await agentTap.next(AssignmentV1.self) { $0.conversationID == conversation }
        #expect(context.customer.firstName == "alex")
        #expect(context.summary.reasons == ["asked_for_human"])
        #expect(context.summary.text.contains("asked for a person"))
        #expect(context.transcript.first?.text == "I need a person")
        #expect(context.transcript.first?.author == .customer)
        // The customer is told a person has the case (first name only).
        let assigned = try await customerTap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .assigned
        }
        #expect(assigned.agentName == "Sam")
        #expect(assigned.text.contains("Sam from our team"))

        // Agent -> customer, customer -> agent, each once.
        try await world.send(
            agent, .message, conversationID: conversation, text: "Hi Alex, I can see the double charge.")
        let fromAgent = try await customerTap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .agentMessage
        }
        #expect(fromAgent.text == "Hi Alex, I can see the double charge.")
        #expect(fromAgent.agentName == "Sam")
        try await world.followUp(
            "reply", conversationID: conversation, customer: customer, text: "Thank you! It was order ZL-1.")
        let fromCustomer = try await agentTap.next(CustomerMessageV1.self) { $0.conversationID == conversation }
        #expect(fromCustomer.text == "Thank you! It was order ZL-1.")
        #expect(fromCustomer.assignmentID == "\(conversation).assignment")

        try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
        let resolved = try await customerTap.next(ConversationUpdateV1.self) {
            $0.conversationID == conversation && $0.kind == .resolved
        }
        #expect(resolved.ratingRequested == true)
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-rating", conversationID: conversation, agentID: agent, customerID: customer,
                csat: 5,
                submittedAt: Timestamps.format(Date()))
        )
        try await world.waitUntil("rating") {
            try await world.database.query("SELECT rating_count FROM agents WHERE agent_id = $1", [agent]).single()
                .decode(Int.self, named: "rating_count") == 1
        }
        // The earning's input: the payout event with the offer's surge.
        let payout = try ContractDecoder().decode(
            ConversationResolvedV1.self,
            from: try #require(try await world.outboxBody("\(conversation).assignment.resolved"))
        )
        #expect(payout.surgeMultiplierBasisPoints == offer.surgeMultiplierBasisPoints)

        // Through to the earning: the payout handler, given the resolution and the forwarded rating as the payout
        // worker receives them (published by the escalation worker's AMQP user), books the resolution at the pay the
        // offer showed and the CSAT bonus for the rating. It re-derives the resolution from the escalation records the
        // worker wrote in this database.
        let book = try #require(world.settings.rateCards)
        let payoutHandler = PayoutHandler(book: book, cadence: .monthly)
        var ratingBody: [UInt8]?
        try await world.waitUntil("the rating forwarded to payout") {
            ratingBody = try await world.outboxBody("\(world.id)-rating.payout")
            return ratingBody != nil
        }
        let events = [
            (
                "\(conversation).assignment.resolved",
                try #require(try await world.outboxBody("\(conversation).assignment.resolved"))
            ),
            ("\(world.id)-rating.payout", try #require(ratingBody)),
        ]
        for (messageID, body) in events {
            let message = InboundMessage(
                messageID: messageID, routingKey: FleetNames.payoutKey, body: body,
                userID: PayoutHandler.defaultProducers[0]
            )
            let input = try payoutHandler.decode(message)
            _ = try await world.database.transaction {
                try payoutHandler.apply([Accepted(message: message, input: input)], in: $0)
            }
        }
        let earnings = try await world.database.query(
            "SELECT kind, amount_minor, currency, csat_minor, agent_id, offer_id FROM payout_earnings WHERE conversation_id = $1 ORDER BY kind",
            [conversation]
        ).map {
            (
                kind: try $0.decode(String.self, named: "kind"),
                amount: try $0.decode(Int64.self, named: "amount_minor"),
                currency: try $0.decode(String.self, named: "currency"),
                csat: try $0.decode(Int64.self, named: "csat_minor"),
                agent: try $0.decode(String.self, named: "agent_id"),
                offer: try $0.decode(String?.self, named: "offer_id")
            )
        }
        #expect(earnings.map(\.kind) == ["csat_bonus", "resolution"], "\(earnings)")
        let fee = try #require(earnings.first { $0.kind == "resolution" })
        #expect(fee.amount == Int64(pay.amountMinor), "booked \(fee.amount), offered \(pay.amountMinor)")
        #expect(fee.currency == pay.currency)
        #expect(fee.agent == agent)
        #expect(fee.offer == offer.offerID)
        let bonus = try #require(earnings.first { $0.kind == "csat_bonus" })
        let card = try #require(book.card(market: world.market.uppercased(), at: Date()))
        #expect(bonus.amount == card.csatBonus && bonus.csat == card.csatBonus && bonus.amount > 0, "\(bonus)")
        #expect(bonus.agent == agent)

        // Exactly once on both sides, and the transcript complete and in order.
        try await customerTap.drain(for: .milliseconds(500))
        try await agentTap.drain(for: .milliseconds(500))
        let customerIDs = customerTap.all(ConversationUpdateV1.self).filter { $0.conversationID == conversation }.map(
            \.messageID)
        #expect(customerIDs.count == Set(customerIDs).count, "duplicates to the customer: \(customerIDs)")
        #expect(
            customerTap.all(ConversationUpdateV1.self).filter {
                $0.conversationID == conversation && $0.kind == .agentMessage
            }.count == 1)
        #expect(agentTap.all(CustomerMessageV1.self).filter { $0.conversationID == conversation }.count == 1)
        let transcript = try await Transcript.entries(conversationID: conversation, on: world.database)
        #expect(transcript.map(\.seq) == Array(1...transcript.count))
        // Waiting lines (joined the line, notices told to the customer) may come between the others.
        let kinds = transcript.map(\.kind)
        #expect(
            kinds.filter { $0 != "waiting" } == [
                "message", "offered", "assigned", "message", "message", "resolved", "rated",
            ], "\(kinds)")
        #expect(kinds.contains("waiting"))
        #expect(transcript.first { $0.author == .agent }?.text == "Hi Alex, I can see the double charge.")
        #expect(transcript.last?.kind == "rated")

        await customerTap.close()
        await agentTap.close()
        await world.tearDown(tasks)
    }

    @Test func everyoneDeclinesThenANewRoundThenTheStaffFallback() async throws {
        let world = try await EscalationWorld.make("reoffer", offerTimeoutMilliseconds: 1_000) { settings in
            settings.reofferCooldownMilliseconds = 300
            settings.fallbackAfterSeconds = 3
        }
        let agent = try await world.enrollAgent("dee")
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("waits")
        let first = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(agent, .decline, offerID: first.offerID, reason: "busy")
        // The only agent declined: after the cooldown a new round offers it to them again.
        let second = try await world.pendingOffer(conversation, attempt: 2)
        #expect(second.agentID == agent)
        let rounds = try await world.database.query(
            "SELECT round FROM offers WHERE escalation_id = $1 ORDER BY attempt", [conversation]
        )
        .map { try $0.decode(Int.self, named: "round") }
        #expect(rounds == [1, 2])
        try await world.send(agent, .decline, offerID: second.offerID, reason: "busy")
        // Staff agents take it once it has waited `fallbackAfterSeconds`, not before.
        let staff = try await world.enrollStaff("Kim")
        try await world.online([staff])
        var fallback: EscalationWorld.Offer?
        try await world.waitUntil("the staff fallback", timeout: .seconds(30)) {
            fallback = try await world.offers(conversation).first { $0.agentID == staff }
            return fallback != nil
        }
        let waited = try await world.database.query(
            """
            SELECT extract(epoch FROM o.offered_at - e.enqueued_at)::float8 AS waited FROM offers o JOIN escalations e USING (escalation_id)
            WHERE o.offer_id = $1
            """,
            [try #require(fallback).offerID]
        ).single().decode(Double.self, named: "waited")
        #expect(waited >= 3, "staff were offered it after \(waited) s")
        await world.tearDown(tasks)
    }

    @Test func aVanishedAgentsConversationGoesToTheFrontAndAnotherAgentTakesIt() async throws {
        let world = try await EscalationWorld.make("vanish") { settings in
            settings.presenceGraceMilliseconds = 300
        }
        let first = try await world.enrollAgent("gone")
        let second = try await world.enrollAgent("next")
        let secondTap = try await world.tap([AssignmentV1.routingKey(agentID: second)])
        let firstTap = try await world.tap([AssignmentV1.routingKey(agentID: first)])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([first])
        let conversation = try await world.inquire("stranded")
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(first, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        try await world.send(first, .offline)
        try await world.online([second])
        // Released after the grace period: the first agent's capacity is free and told why; the second takes it.
        let released = try await firstTap.next(AgentNoticeV1.self) { $0.conversationID == conversation }
        #expect(released.kind == .conversationReleased)
        #expect(released.reason == "presence_lost")
        let retry = try await world.pendingOffer(conversation, attempt: 2)
        #expect(retry.agentID == second)
        try await world.send(second, .accept, offerID: retry.offerID)
        let context = try await secondTap.next(AssignmentV1.self) { $0.conversationID == conversation }
        #expect(context.assignmentID == "\(conversation).assignment.2")
        #expect(context.transcript.contains { $0.kind == "released" && $0.text.contains("went offline") })
        let load = try await world.database.query(
            "SELECT active_conversations FROM agents WHERE agent_id = $1", [first]
        ).single()
        #expect(try load.decode(Int.self, named: "active_conversations") == 0)
        await firstTap.close()
        await secondTap.close()
        await world.tearDown(tasks)
    }

    @Test func anUnansweredCustomerNudgesTheAgentThenGoesBackToTheLine() async throws {
        let world = try await EscalationWorld.make("nudge") { settings in
            settings.nudgeAfterSeconds = 1
            settings.requeueAfterSeconds = 3
        }
        let agent = try await world.enrollAgent("slow")
        let tap = try await world.tap([AssignmentV1.routingKey(agentID: agent)])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("patient")
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(agent, .accept, offerID: offer.offerID)
        let nudge = try await tap.next(AgentNoticeV1.self) { $0.conversationID == conversation && $0.kind == .nudge }
        #expect(nudge.reason == "no_reply")
        let released = try await tap.next(AgentNoticeV1.self) {
            $0.conversationID == conversation && $0.kind == .conversationReleased
        }
        #expect(released.reason == "no_reply")
        try await world.waitUntil("back in the line") {
            try await world.database.query(
                "SELECT state IN ('waiting', 'offered') AND front_of_line AS back FROM escalations WHERE escalation_id = $1",
                [conversation]
            ).single().decode(Bool.self, named: "back")
        }
        // The agent who did not answer is not offered it again.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await world.offers(conversation).filter { $0.agentID == agent }.count == 1)
        await tap.close()
        await world.tearDown(tasks)
    }

    @Test func transferToASkillReachesAnAgentWithItWithTheNote() async throws {
        let world = try await EscalationWorld.make("transfer")
        let general = try await world.enrollAgent("gen", skills: ["general"])
        let specialist = try await world.enrollAgent("fraudie", skills: ["fraud"])
        let tap = try await world.tap([AssignmentV1.routingKey(agentID: specialist)])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([general, specialist])
        let conversation = try await world.inquire("scared", skills: ["general"])
        var offer = try await world.pendingOffer(conversation, attempt: 1)
        if offer.agentID != general {
            // The specialist has no "general" skill, so the first offer is the generalist's.
            Issue.record("first offer went to \(offer.agentID)")
        }
        try await world.send(general, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        let transfer = AgentEventV1(
            messageID: "\(world.id)-transfer", agentID: general, event: .transfer, sentAt: Timestamps.format(Date()),
            conversationID: conversation, skill: "fraud", note: "Card used abroad, customer did not travel"
        )
        try await world.publishRaw(transfer.encodedBody(), id: transfer.messageID, queue: world.agentEventsQueue)
        offer = try await world.pendingOffer(conversation, attempt: 2)
        #expect(offer.agentID == specialist)
        try await world.send(specialist, .accept, offerID: offer.offerID)
        let context = try await tap.next(AssignmentV1.self) { $0.conversationID == conversation }
        #expect(context.transcript.contains { $0.kind == "transferred" && $0.text.contains("Card used abroad") })
        await tap.close()
        await world.tearDown(tasks)
    }

    @Test func vipIsOfferedToSeveralAgentsAndTheFirstAcceptWins() async throws {
        let world = try await EscalationWorld.make("vipfan")
        let agents = [
            try await world.enrollAgent("v1"), try await world.enrollAgent("v2"), try await world.enrollAgent("v3"),
        ]
        let tap = try await world.tap(agents.map { OfferV1.routingKey(agentID: $0) })
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online(agents)
        let conversation = try await world.inquire("star", vip: true, skills: [])
        try await world.waitUntil("three offers") {
            try await world.offers(conversation).filter { $0.state == "pending" }.count == 3
        }
        let offers = try await world.offers(conversation)
        #expect(Set(offers.map(\.agentID)) == Set(agents))
        let window = try await world.database.query(
            "SELECT max(extract(epoch FROM expires_at - offered_at))::float8 AS offer_window FROM offers WHERE escalation_id = $1",
            [conversation]
        ).single().decode(Double.self, named: "offer_window")
        #expect(window <= 8.001, "premium offer window \(window) s")
        let winner = offers[1]
        try await world.send(winner.agentID, .accept, offerID: winner.offerID)
        try await world.waitForState(conversation, "assigned")
        for loser in offers where loser.offerID != winner.offerID {
            let notice = try await tap.next(AgentNoticeV1.self) { $0.offerID == loser.offerID }
            #expect(notice.kind == .offerWithdrawn)
            #expect(notice.reason == "taken")
        }
        let states = try await world.offers(conversation).map(\.state).sorted()
        #expect(states == ["accepted", "withdrawn", "withdrawn"])
        // A late accept from a loser changes nothing.
        try await world.send(offers[0].agentID, .accept, offerID: offers[0].offerID)
        try await Task.sleep(for: .milliseconds(500))
        let holders = try await world.database.query(
            "SELECT agent_id FROM assignments WHERE conversation_id = $1 AND state = 'active'", [conversation]
        ).map { try $0.decode(String.self, named: "agent_id") }
        #expect(holders == [winner.agentID])
        await tap.close()
        await world.tearDown(tasks)
    }

    /// Two of a VIP's three agents decline while the third lets the offer sit: the line does not wait out that window;
    /// the conversation is topped up to three pending offers at once (here to an agent who came online meanwhile), and
    /// never beyond.
    @Test func aPremiumConversationIsToppedUpWhenOffersAreDeclinedWhileOneIsStillPending() async throws {
        let world = try await EscalationWorld.make("viptopup", offerTimeoutMilliseconds: 60_000) { settings in
            settings.premiumOfferTimeoutMilliseconds = 60_000
        }
        let first = [
            try await world.enrollAgent("t1"), try await world.enrollAgent("t2"), try await world.enrollAgent("t3"),
        ]
        let late = try await world.enrollAgent("t4")
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online(first)
        let conversation = try await world.inquire("gold", vip: true, skills: [])
        try await world.waitUntil("three offers") {
            try await world.offers(conversation).filter { $0.state == "pending" }.count == 3
        }
        try await world.online([late])
        // Nobody is topped up while three are out.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await world.offers(conversation).count == 3)
        let offers = try await world.offers(conversation)
        for decliner in offers.prefix(2) {
            try await world.send(decliner.agentID, .decline, offerID: decliner.offerID, reason: "busy")
        }
        try await world.waitUntil("the late agent offered while the third offer is still out") {
            let now = try await world.offers(conversation)
            return now.contains { $0.agentID == late && $0.state == "pending" }
                && now.contains { $0.offerID == offers[2].offerID && $0.state == "pending" }
        }
        let pending = try await world.offers(conversation).filter { $0.state == "pending" }
        #expect(Set(pending.map(\.agentID)) == [offers[2].agentID, late], "only the still-free agent was added")
        let topUp = try #require(pending.first { $0.agentID == late })
        try await world.send(late, .accept, offerID: topUp.offerID)
        try await world.waitForState(conversation, "assigned")
        #expect(
            try await world.offers(conversation).map(\.state).sorted() == [
                "accepted", "declined", "declined", "withdrawn",
            ])
        await world.tearDown(tasks)
    }

    @Test func badConversationEventsAreDeadLetteredWithAPreciseReasonAndChangeNothing() async throws {
        let world = try await EscalationWorld.make("bad")
        let agent = try await world.enrollAgent("ok")
        let other = try await world.enrollAgent("other")
        let dead = try await world.tap([""], exchange: FleetNames.deadLetterExchange)
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent, other])
        let conversation = try await world.inquire("victim")
        let customer = "\(world.id)-cus-victim"
        let offer = try await world.pendingOffer(conversation, attempt: 1)
        try await world.send(offer.agentID, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        let holder = offer.agentID
        let stranger = holder == agent ? other : agent

        func event(
            _ id: String, _ agentID: String, _ kind: AgentEventV1.Event, conversation: String, text: String? = nil,
            outcome: String? = nil
        ) async throws {
            let message = AgentEventV1(
                messageID: "\(world.id)-\(id)", agentID: agentID, event: kind, sentAt: Timestamps.format(Date()),
                conversationID: conversation, text: text, outcome: outcome
            )
            try await world.publishRaw(message.encodedBody(), id: message.messageID, queue: world.agentEventsQueue)
        }
        try await event("ghost", holder, .message, conversation: "\(world.id)-no-such-conversation", text: "hello?")
        // Not from the agent app (no validated user_id): forged, whatever it says.
        let forged = AgentEventV1(
            messageID: "\(world.id)-forged", agentID: holder, event: .message, sentAt: Timestamps.format(Date()),
            conversationID: conversation, text: "send me your card number"
        )
        try await world.publishRaw(
            forged.encodedBody(), id: forged.messageID, queue: world.agentEventsQueue, asAgentApp: false)
        try await event("notmine", stranger, .message, conversation: conversation, text: "let me help")
        try await event("long", holder, .message, conversation: conversation, text: String(repeating: "x", count: 4001))
        try await event("early-resolve", holder, .resolve, conversation: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-wrong-customer", conversationID: conversation, agentID: holder,
                customerID: "\(world.id)-cus-someone-else", csat: 1, submittedAt: Timestamps.format(Date()))
        )
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-first-rating", conversationID: conversation, agentID: holder,
                customerID: customer,
                csat: 4, submittedAt: Timestamps.format(Date()))
        )
        try await world.waitUntil("first rating") {
            try await world.database.query(
                "SELECT count(*) FROM agent_feedback WHERE conversation_id = $1", [conversation]
            )
            .single().decode(Int.self, named: "count") == 1
        }
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-second-rating", conversationID: conversation, agentID: holder,
                customerID: customer,
                csat: 5, submittedAt: Timestamps.format(Date()))
        )
        let reasons = try await dead.reasons(
            ["ghost", "forged", "notmine", "long", "wrong-customer", "second-rating"].map { "\(world.id)-\($0)" }
        )
        #expect(reasons["\(world.id)-forged"] == "untrusted_sender")
        #expect(reasons["\(world.id)-ghost"] == "not_assigned")
        #expect(reasons["\(world.id)-notmine"] == "not_assigned")
        #expect(reasons["\(world.id)-long"] == "schema_violation")
        #expect(reasons["\(world.id)-wrong-customer"] == "not_your_conversation")
        #expect(reasons["\(world.id)-second-rating"] == "already_rated")
        // Nothing changed: one rating of 4, no message from the stranger, nothing of the refused texts in the transcript.
        let rating = try await world.database.query(
            "SELECT rating_sum, rating_count FROM agents WHERE agent_id = $1", [holder]
        ).single()
        #expect(try rating.decode(Int.self, named: "rating_sum") == 4)
        #expect(try rating.decode(Int.self, named: "rating_count") == 1)
        let transcript = try await Transcript.entries(conversationID: conversation, on: world.database)
        #expect(
            !transcript.contains {
                $0.text == "let me help" || $0.text == "hello?" || $0.text == "send me your card number"
            })
        await dead.close()
        await world.tearDown(tasks)
    }

    /// Two escalation processes (consumers and dispatchers twice over) race over whole conversations: VIP offers to
    /// several agents who all accept at once, customers' follow-ups, agents' replies, an agent who vanishes. Every
    /// conversation ends resolved with one active assignment at a time, and every message reached the other side once.
    @Test func twoEscalationProcessesRacingNeverDoubleAssignNorLoseAMessage() async throws {
        let world = try await EscalationWorld.make("race2") { settings in
            settings.presenceGraceMilliseconds = 200
        }
        var agents: [String] = []
        for index in 0..<6 { agents.append(try await world.enrollAgent("r\(index)", capacity: 2)) }
        let tasks =
            world.startConsumers() + world.startConsumers() + [world.startDispatcher(), world.startDispatcher()]
        try await world.online(agents)
        let database = try await PostgresConnection.connect(configuration: world.postgres, logger: world.logger)
        let total = 24
        for index in 0..<total { try await world.inquire("c\(index)", vip: index % 4 == 0, skills: []) }

        // The agents accept every offer at once; per assignment: the customer writes, the agent answers, resolves.
        var answered = Set<String>()
        var step: [String: Int] = [:]  // assignment -> 1 follow-up sent, 2 agent replied, 3 resolved
        var vanished: String?
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            for row in try await database.query(
                "SELECT o.offer_id, o.agent_id FROM offers o JOIN agents a USING (agent_id) WHERE a.market = $1 AND o.state = 'pending'",
                [world.market]
            ) {
                let offer = try row.decode(String.self, named: "offer_id")
                if answered.insert(offer).inserted {
                    try await world.send(try row.decode(String.self, named: "agent_id"), .accept, offerID: offer)
                }
            }
            for row in try await database.query(
                """
                SELECT s.assignment_id, s.conversation_id, s.agent_id, s.customer_id FROM assignments s JOIN agents a USING (agent_id)
                WHERE a.market = $1 AND s.state = 'active' ORDER BY s.assigned_at
                """,
                [world.market]
            ) {
                let assignment = try row.decode(String.self, named: "assignment_id")
                let conversation = try row.decode(String.self, named: "conversation_id")
                let agent = try row.decode(String.self, named: "agent_id")
                if vanished == nil && step.count >= 4 && step[assignment] == nil {
                    // One agent drops off holding a conversation nobody has written in yet: it must move to another.
                    vanished = agent
                    try await world.send(agent, .offline)
                }
                guard agent != vanished else { continue }
                switch step[assignment] ?? 0 {
                case 0:
                    try await world.followUp(
                        "f-\(assignment)", conversationID: conversation,
                        customer: try row.decode(String.self, named: "customer_id"),
                        text: "still there?"
                    )
                    step[assignment] = 1
                case 1:
                    guard try await world.outboxBody("\(world.id)-inq-f-\(assignment).agent") != nil else { continue }
                    try await world.send(
                        agent, .message, conversationID: conversation, text: "yes, on it (\(assignment))")
                    step[assignment] = 2
                case 2:
                    try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
                    step[assignment] = 3
                default: break
                }
            }
            let done = try await database.query(
                "SELECT count(*) FROM escalations WHERE market = $1 AND state = 'resolved'", [world.market]
            ).single().decode(Int.self, named: "count")
            if done == total { break }
            try await Task.sleep(for: .milliseconds(40))
        }
        #expect(vanished != nil)
        let summary = try await database.query(
            """
            SELECT count(*) FILTER (WHERE e.state = 'resolved') AS resolved,
                   (SELECT count(*) FROM assignments s JOIN escalations x USING (escalation_id) WHERE x.market = $1 AND s.state = 'resolved') AS resolved_assignments,
                   (SELECT count(*) FROM assignments s JOIN escalations x USING (escalation_id) WHERE x.market = $1 AND s.state = 'released') AS released_assignments,
                   (SELECT count(*) FROM offers o JOIN escalations x USING (escalation_id) WHERE x.market = $1 AND o.state = 'accepted') AS accepted_offers
            FROM escalations e WHERE e.market = $1
            """,
            [world.market]
        ).single()
        #expect(try summary.decode(Int.self, named: "resolved") == total)
        #expect(
            try summary.decode(Int.self, named: "resolved_assignments") == total,
            "one resolved assignment per conversation")
        let released = try summary.decode(Int.self, named: "released_assignments")
        #expect(
            released >= 1, "the vanished agent held a conversation: it must have been released and taken by another")
        #expect(
            try summary.decode(Int.self, named: "accepted_offers") == total + released,
            "accepted offers: one per assignment")
        // Every follow-up reached its agent once, every agent message its customer once (outbox ids are the
        // messages' ids, so a second copy would be a second row).
        let copies = try await database.query(
            """
            SELECT message_id, count(*) FROM outbox
            WHERE message_id LIKE $1 AND (message_id LIKE '%.agent' OR message_id LIKE '%.customer')
            GROUP BY message_id HAVING count(*) > 1
            """,
            ["\(world.id)-%"]
        )
        let doubled = try copies.map { try $0.decode(String.self, named: "message_id") }
        #expect(doubled.isEmpty, "messages written twice: \(doubled)")
        // A follow-up is in its conversation's transcript once; it reached the agent who held the conversation (the
        // agent answers only after that), unless the conversation was released meanwhile (then the next agent
        // reads it in the transcript they receive).
        let followUps = step.filter { $0.value >= 1 }.map { "\(world.id)-inq-f-\($0.key)" }
        let recorded = try await database.query(
            "SELECT count(*) AS entries, count(DISTINCT message_id) AS messages FROM transcript_entries WHERE message_id = ANY($1::text[])",
            [followUps]
        ).single()
        #expect(try recorded.decode(Int.self, named: "entries") == followUps.count)
        #expect(try recorded.decode(Int.self, named: "messages") == followUps.count)
        let delivered = try await database.query(
            "SELECT count(*) FROM outbox WHERE message_id = ANY($1::text[])", [followUps.map { "\($0).agent" }]
        ).single().decode(Int.self, named: "count")
        #expect(delivered >= step.values.filter { $0 >= 2 }.count)
        let replies = try await database.query(
            "SELECT count(*) FROM transcript_entries WHERE author = 'agent' AND text LIKE 'yes, on it%' AND conversation_id LIKE $1",
            ["\(world.id)-%"]
        ).single().decode(Int.self, named: "count")
        let repliesDelivered = try await database.query(
            "SELECT count(*) FROM outbox WHERE message_id LIKE $1 AND message_id LIKE '%.message.%.customer'",
            ["agt_\(world.id)-%"]
        ).single().decode(Int.self, named: "count")
        #expect(replies == step.values.filter { $0 >= 2 }.count)
        #expect(
            repliesDelivered == replies,
            "agent messages: \(replies) in transcripts, \(repliesDelivered) sent to customers")
        let drift = try await database.query(
            """
            SELECT count(*) FROM agents a WHERE a.market = $1
              AND a.active_conversations <> (SELECT count(*) FROM assignments s WHERE s.agent_id = a.agent_id AND s.state = 'active')
            """,
            [world.market]
        ).single().decode(Int.self, named: "count")
        #expect(drift == 0, "agents' counters drifted from their assignments")
        await database.close()
        await world.tearDown(tasks)
    }
}
