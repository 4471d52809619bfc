import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// Dispatch against the real broker and database: offers, answers, cascades, the line's order, capacity, presence.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct EscalationDispatchTests {
    @Test func offerAcceptAssignResolveFeedbackAndReopen() async throws {
        let world = try await EscalationWorld.make("accept")
        let agent = try await world.enrollAgent("ana")
        // The offer reaches the agent app on the outcomes exchange with the agent's routing key.
        let offerQueue = "test.esc.\(world.id).offers"
        try await world.publisher.declare(
            AMQPTopology(
                queues: [.init(name: offerQueue, arguments: ["x-queue-type": .string("quorum")])],
                bindings: [
                    .init(
                        queue: offerQueue, exchange: FleetNames.outcomesExchange,
                        routingKey: OfferV1.routingKey(agentID: agent))
                ]
            )
        )
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("one")

        let offer = try await world.pendingOffer(conversation, attempt: 1)
        #expect(offer.agentID == agent)
        let consumer = try await AMQPConsumer.connect(
            configuration: world.amqp, queue: offerQueue, prefetch: 10, logger: world.logger)
        var published: OfferV1?
        let deadline = ContinuousClock.now + .seconds(20)
        while published == nil && ContinuousClock.now < deadline {
            for delivery in try await consumer.receive(max: 10, timeout: .milliseconds(300)) {
                published = try ContractDecoder().decode(OfferV1.self, from: delivery.body)
                try await consumer.ack([delivery])
            }
        }
        await consumer.close()
        let message = try #require(published, "the offer never reached the agent's queue")
        #expect(message.offerID == offer.offerID)
        #expect(message.surgeMultiplierBasisPoints == offer.surge)
        #expect(message.conversationID == conversation)

        try await world.send(agent, .accept, offerID: offer.offerID)
        try await world.waitForState(conversation, "assigned")
        let row = try await world.database.query(
            "SELECT status, assigned_agent_id FROM conversations WHERE conversation_id = $1", [conversation]
        )[0]
        #expect(try row.decode(String.self, named: "status") == "assigned")
        #expect(try row.decode(String.self, named: "assigned_agent_id") == agent)

        try await world.send(agent, .message, conversationID: conversation, text: "Hello, I am on it")
        try await world.send(agent, .resolve, conversationID: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        let assignment = "\(conversation).assignment"
        let resolvedBody = try #require(try await world.outboxBody("\(assignment).resolved"))
        let resolved = try ContractDecoder().decode(ConversationResolvedV1.self, from: resolvedBody)
        #expect(resolved.agentID == agent)
        #expect(resolved.offerID == offer.offerID)
        #expect(resolved.surgeMultiplierBasisPoints == offer.surge)
        #expect(resolved.outcome == "resolved")
        let load = try await world.database.query(
            "SELECT active_conversations, pending_offer_id IS NULL AS no_pending_offer FROM agents WHERE agent_id = $1",
            [agent])[0]
        #expect(try load.decode(Int.self, named: "active_conversations") == 0)
        #expect(try load.decode(Bool.self, named: "no_pending_offer"))
        let firstResponse = try await world.database.query(
            "SELECT first_response_at IS NOT NULL AS responded FROM escalations WHERE escalation_id = $1",
            [conversation]
        )[0].decode(Bool.self, named: "responded")
        #expect(firstResponse)

        let customer = "\(world.id)-cus-one"
        try await world.sendFeedback(
            FeedbackV1(
                messageID: "\(world.id)-fb", conversationID: conversation, agentID: agent, customerID: customer,
                csat: 5,
                submittedAt: Timestamps.format(Date()))
        )
        try await world.waitUntil("rating") {
            try await world.database.query("SELECT rating_count FROM agents WHERE agent_id = $1", [agent])[0].decode(
                Int.self, named: "rating_count") == 1
        }
        let forwarded = try ContractDecoder().decode(
            FeedbackV1.self, from: try #require(try await world.outboxBody("\(world.id)-fb.payout")))
        #expect(forwarded.csat == 5)

        // The customer comes back on the same conversation: the resolution is reopened and a new escalation waits.
        _ = try await world.inquire("again", conversationID: conversation, customer: customer)
        try await world.waitUntil("reopen") { try await world.outboxBody("\(assignment).reopened") != nil }
        let reopened = try ContractDecoder().decode(
            ConversationReopenedV1.self, from: try #require(try await world.outboxBody("\(assignment).reopened")))
        #expect(reopened.agentID == agent)
        let next = try await world.database.query(
            "SELECT reopened_from FROM escalations WHERE escalation_id = $1", ["\(world.id)-inq-again"]
        )[0].decode(String?.self, named: "reopened_from")
        #expect(next == assignment)

        try? await world.publisher.deleteQueue(offerQueue)
        await world.tearDown(tasks)
    }

    @Test func declineAndExpiryCascadeToTheNextAgentAndNeverReoffer() async throws {
        let world = try await EscalationWorld.make("cascade")
        let (best, good, fair) = try await world.enrollRanked()
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([best, good, fair])
        let conversation = try await world.inquire("c")

        let first = try await world.pendingOffer(conversation, attempt: 1)
        #expect(first.agentID == best)
        try await world.send(best, .decline, offerID: first.offerID, reason: "busy")
        let second = try await world.pendingOffer(conversation, attempt: 2)
        #expect(second.agentID == good)
        // Nobody answers: it expires and goes to the third agent.
        try await world.letExpire(second.offerID)
        let third = try await world.pendingOffer(conversation, attempt: 3)
        #expect(third.agentID == fair)
        try await world.send(fair, .decline, offerID: third.offerID, reason: "skills")
        try await world.waitForState(conversation, "waiting")
        try await Task.sleep(for: .seconds(1))
        let offers = try await world.offers(conversation)
        #expect(offers.map(\.state) == ["declined", "expired", "declined"])
        #expect(Set(offers.map(\.agentID)).count == 3, "an agent was offered the same conversation twice")
        #expect(try await world.escalationState(conversation) == "waiting")

        // A late accept of the expired offer changes nothing.
        try await world.send(good, .accept, offerID: second.offerID)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await world.escalationState(conversation) == "waiting")

        // A new agent coming online takes it.
        let fresh = try await world.enrollAgent("fresh")
        try await world.online([fresh])
        let fourth = try await world.pendingOffer(conversation, attempt: 4)
        #expect(fourth.agentID == fresh)
        await world.tearDown(tasks)
    }

    @Test func vipJumpsTheLineAndTheLineWaitsForAnAgent() async throws {
        let world = try await EscalationWorld.make("vip")
        let agent = try await world.enrollAgent("solo")
        let tasks = world.startConsumers() + [world.startDispatcher()]
        let normal1 = try await world.inquire("n1")
        let urgent = try await world.inquire("u", priority: .urgent)
        let normal2 = try await world.inquire("n2")
        let vip = try await world.inquire("v", vip: true)
        for conversation in [normal1, urgent, normal2, vip] { try await world.waitForState(conversation, "waiting") }
        try await Task.sleep(for: .milliseconds(300))
        // Nobody online: everything waits.
        for conversation in [normal1, urgent, normal2, vip] {
            #expect(try await world.escalationState(conversation) == "waiting")
        }

        try await world.online([agent])
        var order: [String] = []
        for _ in 0..<4 {
            var offered: (String, WorldOffer)?
            try await world.waitUntil("next offer") {
                for conversation in [normal1, urgent, normal2, vip] where !order.contains(conversation) {
                    if let offer = try await world.offers(conversation).first(where: { $0.state == "pending" }) {
                        offered = (conversation, offer)
                        return true
                    }
                }
                return false
            }
            order.append(offered!.0)
            try await world.send(agent, .accept, offerID: offered!.1.offerID)
            try await world.waitForState(offered!.0, "assigned")
            try await world.send(agent, .resolve, conversationID: offered!.0, outcome: "resolved")
            try await world.waitForState(offered!.0, "resolved")
        }
        #expect(order == [vip, urgent, normal1, normal2])
        await world.tearDown(tasks)
    }

    @Test func capacityIsRespected() async throws {
        let world = try await EscalationWorld.make("capacity")
        let agent = try await world.enrollAgent("duo", capacity: 2)
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        var conversations: [String] = []
        for index in 0..<5 { conversations.append(try await world.inquire("c\(index)")) }

        // The agent accepts everything it is offered.
        func acceptAll() async throws -> Int {
            var accepted = 0
            for row in try await world.database.query(
                "SELECT offer_id FROM offers WHERE agent_id = $1 AND state = 'pending'", [agent])
            {
                try await world.send(agent, .accept, offerID: try row.decode(String.self, named: "offer_id"))
                accepted += 1
            }
            return accepted
        }
        func assigned() async throws -> [String] {
            try await world.database.query(
                "SELECT conversation_id FROM assignments WHERE agent_id = $1 AND state = 'active' ORDER BY conversation_id",
                [agent]
            ).map { try $0.decode(String.self, named: "conversation_id") }
        }
        try await world.waitUntil("two assigned") {
            _ = try await acceptAll()
            return try await assigned().count == 2
        }
        try await Task.sleep(for: .milliseconds(500))
        let full = try await world.database.query(
            "SELECT active_conversations, pending_offer_id FROM agents WHERE agent_id = $1", [agent]
        )[0]
        #expect(try full.decode(Int.self, named: "active_conversations") == 2)
        #expect(try full.decode(String?.self, named: "pending_offer_id") == nil, "a full agent was offered more")
        #expect(try await assigned().count == 2)

        let first = try await assigned()[0]
        try await world.send(agent, .resolve, conversationID: first, outcome: "unresolved")
        try await world.waitUntil("a third assignment") {
            _ = try await acceptAll()
            let rows = try await world.database.query("SELECT count(*) FROM assignments WHERE agent_id = $1", [agent])
            return try rows[0].decode(Int.self, named: "count") == 3
        }
        #expect(try await assigned().count == 2)
        await world.tearDown(tasks)
    }

    @Test func agentGoingOfflineMidOfferLosesTheOffer() async throws {
        let world = try await EscalationWorld.make("offline")
        let leaving = try await world.enrollAgent("leaving", ratingSum: 50, ratingCount: 10)
        let staying = try await world.enrollAgent("staying", ratingSum: 40, ratingCount: 10)
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([leaving, staying])
        let conversation = try await world.inquire("c")
        let first = try await world.pendingOffer(conversation, attempt: 1)
        #expect(first.agentID == leaving)
        try await world.send(leaving, .offline)
        let second = try await world.pendingOffer(conversation, attempt: 2)
        #expect(second.agentID == staying)
        #expect(try await world.offers(conversation)[0].state == "withdrawn")
        // Accepting the withdrawn offer does nothing.
        try await world.send(leaving, .accept, offerID: first.offerID)
        try await world.send(staying, .accept, offerID: second.offerID)
        try await world.waitForState(conversation, "assigned")
        let owner = try await world.database.query(
            "SELECT agent_id FROM assignments WHERE escalation_id = $1", [conversation])
        #expect(owner.count == 1)
        #expect(try owner[0].decode(String.self, named: "agent_id") == staying)
        await world.tearDown(tasks)
    }

    @Test func silentAgentIsTakenOfflineAndItsOfferWithdrawn() async throws {
        // Heartbeats every 300 ms against a 5 s timeout: on a loaded machine a 1.5 s timeout took the beating agent
        // offline before the offer (seen once beside the whole suite).
        let world = try await EscalationWorld.make("silent", heartbeatTimeoutMilliseconds: 5000)
        let silent = try await world.enrollAgent("silent", ratingSum: 50, ratingCount: 10)
        let alive = try await world.enrollAgent("alive", ratingSum: 40, ratingCount: 10)
        let tasks = world.startConsumers()
        try await world.online([silent, alive])
        func beat(_ agent: String) -> Task<Void, any Error> {
            Task {
                while !Task.isCancelled {
                    try await world.send(agent, .heartbeat)
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
        }
        let heartbeats = beat(alive)
        let silentHeartbeats = beat(silent)
        let conversation = try await world.inquire("c")
        try await world.waitForState(conversation, "waiting")
        let dispatcher = world.startDispatcher()
        let first = try await world.pendingOffer(conversation, attempt: 1)
        #expect(first.agentID == silent)
        // The agent's app dies holding the offer.
        silentHeartbeats.cancel()
        let second = try await world.pendingOffer(conversation, attempt: 2, timeout: .seconds(20))
        #expect(second.agentID == alive)
        #expect(try await world.offers(conversation)[0].state == "withdrawn")
        let presence = try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [silent])[0]
        #expect(try presence.decode(String.self, named: "presence") == "offline")
        heartbeats.cancel()
        await world.tearDown(tasks + [dispatcher])
    }
}

typealias WorldOffer = EscalationWorld.Offer
