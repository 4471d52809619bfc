import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// Several dispatchers at once, and a dispatcher that dies.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct EscalationConcurrencyTests {
    /// Three dispatchers race over one waiting line while agents accept at once and resolve quickly, for several
    /// rounds. Afterwards every conversation was assigned exactly once, no agent ever held more conversations than
    /// its capacity (sampled throughout), and the agents' counters match their assignments.
    @Test func racingDispatchersNeverDoubleAssignNorOverfillAgents() async throws {
        let world = try await EscalationWorld.make("race")
        var agents: [String] = []
        for index in 0..<8 { agents.append(try await world.enrollAgent("a\(index)", capacity: 1 + index % 3)) }
        let tasks = world.startConsumers() + (0..<3).map { _ in world.startDispatcher() }
        try await world.online(agents)

        // The agents: accept every pending offer, resolve assignments older than 200 ms.
        let database = try await PostgresConnection.connect(configuration: world.postgres, logger: world.logger)
        let agentLoop = Task {
            var answered = Set<String>()
            var resolvedOnes = Set<String>()
            while !Task.isCancelled {
                for row in try await database.query(
                    "SELECT offer_id, agent_id FROM offers o JOIN agents a USING (agent_id) WHERE a.market = $1 AND o.state = 'pending'",
                    [world.market]
                ) {
                    let offer = try row.decode(String.self, named: "offer_id")
                    if answered.insert(offer).inserted {
                        try await world.send(try row.decode(String.self, named: "agent_id"), .accept, offerID: offer)
                    }
                }
                for row in try await database.query(
                    """
                    SELECT conversation_id, agent_id, assignment_id FROM assignments s JOIN agents a USING (agent_id)
                    WHERE a.market = $1 AND s.state = 'active' AND s.assigned_at < now() - interval '200 milliseconds'
                    """,
                    [world.market]
                ) {
                    if resolvedOnes.insert(try row.decode(String.self, named: "assignment_id")).inserted {
                        try await world.send(
                            try row.decode(String.self, named: "agent_id"), .resolve,
                            conversationID: try row.decode(String.self, named: "conversation_id"), outcome: "resolved")
                    }
                }
                try await Task.sleep(for: .milliseconds(30))
            }
        }

        var overfilled = 0
        var samples = 0
        var total = 0
        for round in 0..<6 {
            for index in 0..<40 { try await world.inquire("r\(round)-\(index)") }
            total += 40
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline {
                overfilled += try await database.query(
                    """
                    SELECT count(*) FROM agents a
                    WHERE a.market = $1
                      AND (SELECT count(*) FROM assignments s WHERE s.agent_id = a.agent_id AND s.state = 'active')
                          + (SELECT count(*) FROM offers o WHERE o.agent_id = a.agent_id AND o.state = 'pending') > a.capacity
                    """,
                    [world.market]
                )[0].decode(Int.self, named: "count")
                samples += 1
                let done = try await database.query(
                    "SELECT count(*) FROM escalations WHERE market = $1 AND state = 'resolved'", [world.market]
                )[0].decode(Int.self, named: "count")
                if done == total { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        agentLoop.cancel()
        _ = try? await agentLoop.value

        #expect(samples > 10)
        #expect(overfilled == 0, "an agent held more than its capacity")
        let summary = try await database.query(
            """
            SELECT count(*) AS assignments, count(DISTINCT s.escalation_id) AS escalations,
                   count(DISTINCT s.offer_id) AS offers
            FROM assignments s JOIN escalations e USING (escalation_id) WHERE e.market = $1
            """,
            [world.market]
        )[0]
        #expect(try summary.decode(Int.self, named: "assignments") == total)
        #expect(try summary.decode(Int.self, named: "escalations") == total, "a conversation was assigned twice")
        let unresolved = try await database.query(
            "SELECT count(*) FROM escalations WHERE market = $1 AND state <> 'resolved'", [world.market]
        )[0].decode(Int.self, named: "count")
        #expect(unresolved == 0)
        let accepted = try await database.query(
            "SELECT count(*) FROM offers o JOIN escalations e USING (escalation_id) WHERE e.market = $1 AND o.state = 'accepted'",
            [world.market]
        )[0].decode(Int.self, named: "count")
        #expect(accepted == total, "more accepted offers than conversations")
        let drift = try await database.query(
            """
            SELECT count(*) FROM agents a WHERE a.market = $1
              AND a.active_conversations <> (SELECT count(*) FROM assignments s WHERE s.agent_id = a.agent_id AND s.state = 'active')
            """,
            [world.market]
        )[0].decode(Int.self, named: "count")
        #expect(drift == 0)
        await database.close()
        await world.tearDown(tasks)
    }

    /// An escalation process makes an offer and is killed with SIGKILL; the offer's timer lives in PostgreSQL, so
    /// another process's dispatcher expires it and offers the conversation to the next agent.
    @Test func killedWorkersPendingOffersStillExpireAndCascade() async throws {
        // The killed process offers for 2 s; this test's own dispatcher, which makes the second offer, for the default
        // 20 s, so that the accept below cannot arrive after a deadline on a slow machine.
        let world = try await EscalationWorld.make("killed")
        let first = try await world.enrollAgent("first", ratingSum: 50, ratingCount: 10)
        let second = try await world.enrollAgent("second", ratingSum: 40, ratingCount: 10)

        let process = Process()
        process.executableURL = TestServices.executable("concierge-escalation")
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = TestServices.amqpURL
        environment["POSTGRES_URL"] = TestServices.postgresURL
        environment["HTTP_PORT"] = "-1"
        environment["LOG_LEVEL"] = environment["TEST_WORKER_LOG_LEVEL"] ?? "warning"
        environment["RETRY_DELAYS_MS"] = "200,400"
        environment["ESCALATION_QUEUE"] = world.inquiriesQueue
        environment["ESCALATION_AGENT_EVENTS_QUEUE"] = world.agentEventsQueue
        environment["ESCALATION_MARKETS"] = world.market
        environment["ESCALATION_DEFAULT_MARKET"] = world.market
        // The test publishes agent events as the agent app, with its own AMQP user as user_id.
        environment["ESCALATION_AGENT_APP_USERS"] = world.amqp.username
        // The test routes inquiries to it as its own AMQP user, standing in for the classifier.
        environment["ESCALATION_PRODUCERS"] = world.amqp.username
        environment["ESCALATION_OFFER_TIMEOUT_MS"] = "2000"
        environment["ESCALATION_HEARTBEAT_TIMEOUT_MS"] = "120000"
        environment["ESCALATION_DISPATCH_INTERVAL_MS"] = "50"
        process.environment = environment
        try process.run()

        try await world.online([first, second])
        let conversation = try await world.inquire("c")
        let offer = try await world.pendingOffer(conversation, attempt: 1, timeout: .seconds(60))
        #expect(offer.agentID == first)
        process.kill(signal: SIGKILL)
        #expect(await process.waitForExit(timeout: .seconds(10)))

        // Nobody dispatches now: the offer stays pending past its deadline.
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try await world.offers(conversation).map(\.state) == ["pending"])

        let tasks = world.startConsumers() + [world.startDispatcher()]
        let next = try await world.pendingOffer(conversation, attempt: 2)
        #expect(next.agentID == second)
        #expect(try await world.offers(conversation)[0].state == "expired")
        try await world.send(second, .accept, offerID: next.offerID)
        try await world.waitForState(conversation, "assigned")
        await world.tearDown(tasks)
    }
}
