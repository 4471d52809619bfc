import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import HTTPTypes
import Testing

/// Horizontal scale and reconnects: any replica serves any agent, both replicas of an agent's tabs get its
/// messages, a reconnecting tab starts from the database, and presence follows the WebSocket.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct ReplicaTests {
    static func offer(_ agent: String, _ id: String, conversation: String = "conv-x") -> OfferV1 {
        let now = Date()
        return OfferV1(
            offerID: id, escalationID: conversation, conversationID: conversation, agentID: agent, attempt: 1,
            serviceClass: "normal",
            priority: .normal, vip: false, language: "en", skills: ["general"], intent: "general_question",
            complexity: "routine",
            surgeMultiplierBasisPoints: 12_500, offeredAt: Timestamps.format(now),
            expiresAt: Timestamps.format(now + 20),
            preview: "Where is my refund <script>alert(1)</script>", waitedSeconds: 3,
            pay: .init(amountMinor: 1188, currency: "EUR", model: "per_resolution", rateCardVersion: "2026-01")
        )
    }

    @Test func twoReplicasServeOneAgentAndUnbindAfterTheLastTabCloses() async throws {
        let world = try await GatewayWorld.make("replicas")
        let (first, firstTask, firstPort) = try await world.startGateway("a")
        let (second, secondTask, secondPort) = try await world.startGateway("b")
        defer { _ = (first, second) }
        let (agent, password) = try await world.agent("ray")
        // Signed in through replica A; the session works on B too (it is in the database).
        let viaA = try await GatewayClient(port: firstPort).signIn(agent, password)
        var viaB = GatewayClient(port: secondPort)
        viaB.cookie = viaA.cookie
        #expect(try await viaB.get("/").status == .ok)
        let tabA = try await viaA.tab(logger: world.logger)
        let tabB = try await viaB.tab(logger: world.logger)

        try await world.publishOutcome(Self.offer(agent, "o-1"), id: "o-1", key: OfferV1.routingKey(agentID: agent))
        for tab in [tabA, tabB] {
            let body = try #require(try await tab.frame(ofType: "offer")["body"] as? [String: Any])
            #expect(body["offer_id"] as? String == "o-1")
            // text, for textContent
            #expect(body["preview"] as? String == "Where is my refund <script>alert(1)</script>")
        }
        let message = CustomerMessageV1(
            inquiryID: "m-1", conversationID: "conv-x", assignmentID: "conv-x.assignment", agentID: agent, seq: 3,
            text: "Still waiting", sentAt: Timestamps.format(Date())
        )
        try await world.publishOutcome(message, id: message.messageID, key: AssignmentV1.routingKey(agentID: agent))
        for tab in [tabA, tabB] {
            let body = try #require(try await tab.frame(ofType: "customer_message")["body"] as? [String: Any])
            #expect(body["text"] as? String == "Still waiting")
        }
        // A message for another agent never reaches these tabs; one whose body names another agent than its key is
        // dropped as invalid.
        try await world.publishOutcome(
            Self.offer("someone-else", "o-2"), id: "o-2", key: OfferV1.routingKey(agentID: agent))

        // Tab A closes; after the grace (3 heartbeats of 1 s) replica A unbinds, B still delivers.
        // (Waited for, not slept on: on a loaded machine the unbind can come a little after the grace.)
        await tabA.close()
        try await world.waitUntil("replica A unbinds", timeout: .seconds(10)) { await first.boundAgents().isEmpty }
        try await world.publishOutcome(Self.offer(agent, "o-3"), id: "o-3", key: OfferV1.routingKey(agentID: agent))
        _ = try await tabB.frame(ofType: "offer") { ($0["body"] as? [String: Any])?["offer_id"] as? String == "o-3" }
        #expect(!tabB.raw.contains { $0.contains("\"o-2\"") })
        #expect(await second.boundAgents() == [agent])
        // Both closed: after the grace neither replica has the agent's keys bound.
        await tabB.close()
        try await world.waitUntil("replica B unbinds", timeout: .seconds(10)) { await second.boundAgents().isEmpty }
        await world.tearDown([firstTask, secondTask])
    }

    /// As behind a load balancer: one port, each new connection to the next replica. The agent signs in through it,
    /// its two tabs land on different replicas, each gets the agent's offer and customer message, and the events from
    /// both go out. Every wait is bounded, the test as a whole too (a hang fails it), and the proxy closes every
    /// connection it made.
    @Test(.timeLimit(.minutes(3)))
    func twoReplicasBehindOnePortServeEveryTabOfAnAgent() async throws {
        let world = try await GatewayWorld.make("oneport")
        let (first, firstTask, firstPort) = try await world.startGateway("a")
        let (second, secondTask, secondPort) = try await world.startGateway("b")
        defer { _ = (first, second) }
        let proxy = try await RoundRobinProxy.start(replicaPorts: [firstPort, secondPort])
        let (agent, password) = try await world.agent("una")
        let client = try await GatewayClient(port: proxy.port).signIn(agent, password)
        #expect(try await client.get("/").status == .ok)
        let tabs = [try await client.tab(logger: world.logger), try await client.tab(logger: world.logger)]
        // The two sockets are the proxy's last two connections: one on each replica, each bound the agent's keys.
        #expect(Set(proxy.routes.suffix(2)) == [firstPort, secondPort])
        #expect(await first.boundAgents() == [agent])
        #expect(await second.boundAgents() == [agent])

        try await world.publishOutcome(Self.offer(agent, "o-1"), id: "o-1", key: OfferV1.routingKey(agentID: agent))
        let message = CustomerMessageV1(
            inquiryID: "m-1", conversationID: "conv-x", assignmentID: "conv-x.assignment", agentID: agent, seq: 3,
            text: "Hello from behind the proxy", sentAt: Timestamps.format(Date())
        )
        try await world.publishOutcome(message, id: message.messageID, key: AssignmentV1.routingKey(agentID: agent))
        for tab in tabs {
            let offer = try #require(try await tab.frame(ofType: "offer")["body"] as? [String: Any])
            #expect(offer["offer_id"] as? String == "o-1")
            let text = try #require(try await tab.frame(ofType: "customer_message")["body"] as? [String: Any])
            #expect(text["text"] as? String == "Hello from behind the proxy")
        }

        // An event from each tab (so from each replica) goes out, stamped with the agent and the gateway's user.
        tabs[0].send(["type": "online", "client_id": "p1"])
        #expect(try await tabs[0].answer(to: "p1")["type"] as? String == "sent")
        tabs[1].send(["type": "offline", "client_id": "p2"])
        #expect(try await tabs[1].answer(to: "p2")["type"] as? String == "sent")
        let events = try await world.capturedEvents(atLeast: 2)
        #expect(events.map(\.0.event).filter { $0 != .heartbeat } == [.online, .offline])
        #expect(events.allSatisfy { $0.0.agentID == agent && $0.1 == "concierge-gateway" })

        for tab in tabs { await tab.close() }
        await proxy.close()
        await world.tearDown([firstTask, secondTask])
    }

    @Test func reconnectingTabStartsFromTheDatabaseAndPresenceFollowsTheSocket() async throws {
        // The tab beats every second; 5 s leaves room for a loaded machine's delays before the escalation worker sees it.
        let world = try await GatewayWorld.make("reconnect", heartbeatTimeoutMilliseconds: 5_000)
        let escalation = world.startEscalation()
        let (first, firstTask, firstPort) = try await world.startGateway("a")
        let (second, secondTask, secondPort) = try await world.startGateway("b")
        defer { _ = (first, second) }
        let (agent, password) = try await world.agent("pat")
        let viaA = try await GatewayClient(port: firstPort).signIn(agent, password)
        var viaB = GatewayClient(port: secondPort)
        viaB.cookie = viaA.cookie
        let tab = try await viaA.tab(logger: world.logger)
        tab.send(["type": "online", "client_id": "r1"])
        _ = try await tab.answer(to: "r1")
        let conversation = try await world.inquire("cy", text: "My card was declined")
        let offer = try #require(try await tab.frame(ofType: "offer")["body"] as? [String: Any])
        let offerID = try #require(offer["offer_id"] as? String)

        // A second tab (other replica) opened while the offer is pending gets it from the database.
        let late = try await viaB.tab(logger: world.logger)
        let restored = try #require(try await late.frame(ofType: "offer")["body"] as? [String: Any])
        #expect(restored["offer_id"] as? String == offerID)
        #expect(restored["conversation_id"] as? String == conversation)
        await late.close()

        tab.send(["type": "accept", "offer_id": offerID, "client_id": "r2"])
        _ = try await tab.answer(to: "r2")
        try await world.waitUntil("assigned") { try await world.escalationState(conversation) == "assigned" }
        // The transcript line the escalation worker writes for the customer's message (written here if it has not).
        try await world.database.query(
            """
            INSERT INTO transcript_entries (conversation_id, seq, message_id, author, author_id, kind, text)
            SELECT $1, coalesce(max(seq), 0) + 1, $2, 'customer', 'c', 'message', 'My card was declined <img src=x onerror=alert(1)>'
            FROM transcript_entries WHERE conversation_id = $1
            ON CONFLICT DO NOTHING
            """,
            [conversation, "\(conversation).test-line"]
        )
        // Heartbeats from the open tab keep the agent online past the escalation worker's 5 s timeout.
        try await Task.sleep(for: .seconds(6))
        let presence = try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [agent])[0]
            .decode(String.self, named: "presence")
        #expect(presence == "online")

        // The network drops; the tab reconnects to the other replica and gets the conversation with its transcript.
        await tab.close()
        let again = try await viaB.tab(logger: world.logger)
        let held = try #require(try await again.frame(ofType: "conversation")["body"] as? [String: Any])
        #expect(held["conversation_id"] as? String == conversation)
        let transcript = try #require(held["transcript"] as? [[String: Any]])
        #expect(transcript.contains { $0["text"] as? String == "My card was declined <img src=x onerror=alert(1)>" })
        let presenceFrame = try await again.frame(ofType: "presence")
        #expect(presenceFrame["online"] as? Bool == true)

        // Every tab closed: no more heartbeats, and the escalation worker takes the agent offline after its timeout.
        await again.close()
        try await world.waitUntil("agent offline after the heartbeat timeout", timeout: .seconds(20)) {
            try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [agent])[0].decode(
                String.self, named: "presence") == "offline"
        }
        await world.tearDown(escalation + [firstTask, secondTask])
    }
}
