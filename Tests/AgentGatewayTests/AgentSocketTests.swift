import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// The WebSocket path against a real broker, database and the real escalation worker (in process, own market).
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct AgentSocketTests {
    @Test func offerAcceptMessageResolveThroughTheRealEscalationWorker() async throws {
        let world = try await GatewayWorld.make("flow")
        let escalation = world.startEscalation()
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (agent, password) = try await world.agent("sam")
        let client = try await GatewayClient(port: port).signIn(agent, password)
        let tab = try await client.tab(logger: world.logger)

        tab.send(["type": "online", "client_id": "c1"])
        #expect(try await tab.answer(to: "c1")["type"] as? String == "sent")
        try await world.waitUntil("agent online") {
            try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [agent])[0].decode(
                String.self, named: "presence") == "online"
        }
        let conversation = try await world.inquire("alex", text: "I was charged twice <b>please</b>")
        let offerFrame = try await tab.frame(ofType: "offer")
        let offer = try #require(offerFrame["body"] as? [String: Any])
        #expect(offer["agent_id"] as? String == agent)
        #expect(offer["conversation_id"] as? String == conversation)
        let offerID = try #require(offer["offer_id"] as? String)

        tab.send(["type": "accept", "offer_id": offerID, "client_id": "c2"])
        #expect(try await tab.answer(to: "c2")["type"] as? String == "sent")
        try await world.waitUntil("assigned") { try await world.escalationState(conversation) == "assigned" }

        tab.send([
            "type": "message", "conversation_id": conversation, "text": "Hi Alex, I am on it.", "client_id": "c3",
        ])
        let sent = try await tab.answer(to: "c3")
        #expect(sent["type"] as? String == "sent")
        try await world.waitUntil("agent message stored") {
            try await world.database.query(
                "SELECT count(*) FROM agent_messages WHERE conversation_id = $1 AND agent_id = $2 AND text = 'Hi Alex, I am on it.'",
                [conversation, agent]
            )[0].decode(Int.self, named: "count") == 1
        }
        tab.send(["type": "resolve", "conversation_id": conversation, "outcome": "resolved", "client_id": "c4"])
        #expect(try await tab.answer(to: "c4")["type"] as? String == "sent")
        try await world.waitUntil("resolved") { try await world.escalationState(conversation) == "resolved" }

        // Every event went out stamped with the session's agent and the gateway's AMQP user (validated by RabbitMQ),
        // which the escalation worker's source check accepts.
        let events = try await world.capturedEvents(atLeast: 4)
        #expect(events.map(\.0.event).filter { $0 != .heartbeat }.prefix(4) == [.online, .accept, .message, .resolve])
        #expect(events.allSatisfy { $0.0.agentID == agent && $0.1 == "concierge-gateway" })
        let source = AgentEventSource()
        for (_, user) in events { try source.check(schema: .agentEventV1, userID: user) }

        await tab.close()
        await world.tearDown(escalation + [task])
    }

    @Test func eventsForAnotherAgentsOfferOrConversationAreRefused() async throws {
        let world = try await GatewayWorld.make("forged")
        let escalation = world.startEscalation()
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (owner, ownerPassword) = try await world.agent("owner", capacity: 1)
        let (intruder, intruderPassword) = try await world.agent("intruder", capacity: 1)
        let ownerTab = try await GatewayClient(port: port).signIn(owner, ownerPassword).tab(logger: world.logger)
        let intruderTab = try await GatewayClient(port: port).signIn(intruder, intruderPassword).tab(
            logger: world.logger)
        ownerTab.send(["type": "online", "client_id": "o1"])
        _ = try await ownerTab.answer(to: "o1")
        try await world.waitUntil("owner online") {
            try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [owner])[0].decode(
                String.self, named: "presence") == "online"
        }
        let conversation = try await world.inquire("bo")
        let offer = try #require(try await ownerTab.frame(ofType: "offer")["body"] as? [String: Any])
        let offerID = try #require(offer["offer_id"] as? String)

        // The intruder tries the owner's offer, with a forged agent_id in the frame too: refused, nothing published.
        intruderTab.send(["type": "accept", "offer_id": offerID, "agent_id": owner, "client_id": "i1"])
        let refused = try await intruderTab.answer(to: "i1")
        #expect(refused["type"] as? String == "error" && refused["code"] as? String == "not_yours")
        ownerTab.send(["type": "accept", "offer_id": offerID, "client_id": "o2"])
        _ = try await ownerTab.answer(to: "o2")
        try await world.waitUntil("assigned") { try await world.escalationState(conversation) == "assigned" }
        for frame: [String: Any] in [
            ["type": "message", "conversation_id": conversation, "text": "I am not your agent", "client_id": "i2"],
            ["type": "resolve", "conversation_id": conversation, "outcome": "resolved", "client_id": "i3"],
            ["type": "transfer", "conversation_id": conversation, "client_id": "i4"],
            ["type": "decline", "offer_id": offerID, "reason": "busy", "client_id": "i5"],
        ] {
            intruderTab.send(frame)
            let answer = try await intruderTab.answer(to: frame["client_id"] as! String)
            #expect(answer["code"] as? String == "not_yours", "\(frame)")
        }
        let events = try await world.capturedEvents(atLeast: 2, timeout: .seconds(3))
        #expect(!events.contains { $0.0.agentID == intruder })
        #expect(events.filter { $0.0.event == .accept }.map(\.0.agentID) == [owner])
        #expect(try await world.escalationState(conversation) == "assigned")

        // A forged event straight onto the broker (not through the gateway) carries no gateway user_id: the
        // escalation worker's source check refuses it.
        #expect(throws: ContractError.self) { try AgentEventSource().check(schema: .agentEventV1, userID: nil) }
        #expect(throws: ContractError.self) { try AgentEventSource().check(schema: .agentEventV1, userID: "concierge") }

        await ownerTab.close()
        await intruderTab.close()
        await world.tearDown(escalation + [task])
    }

    @Test func garbageOversizedAndInvalidFramesGetPreciseAnswers() async throws {
        let world = try await GatewayWorld.make("garbage")
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (agent, password) = try await world.agent("gil")
        let client = try await GatewayClient(port: port).signIn(agent, password)
        let tab = try await client.tab(logger: world.logger)

        tab.send("this is not json")
        #expect(try await tab.frame(ofType: "error")["code"] as? String == "malformed")
        tab.send("{\"type\": 42}")
        tab.send(["type": "launch_missiles", "client_id": "g1"])
        #expect(try await tab.answer(to: "g1")["code"] as? String == "unknown_type")
        tab.send(["type": "accept", "client_id": "g2"])
        #expect(try await tab.answer(to: "g2")["code"] as? String == "invalid")
        tab.send(["type": "accept", "offer_id": "bad id with spaces", "client_id": "g3"])
        #expect(try await tab.answer(to: "g3")["code"] as? String == "invalid")
        tab.send([
            "type": "message", "conversation_id": "c-1", "text": String(repeating: "x", count: 4001), "client_id": "g4",
        ])
        #expect(try await tab.answer(to: "g4")["code"] as? String == "text_too_long")
        tab.send(["type": "message", "conversation_id": "c-1", "text": "   ", "client_id": "g5"])
        #expect(try await tab.answer(to: "g5")["code"] as? String == "invalid")
        // The socket is still open and useful after garbage.
        tab.send(["type": "online", "client_id": "g6"])
        #expect(try await tab.answer(to: "g6")["type"] as? String == "sent")
        #expect(!tab.isClosed)
        // A frame over gateway.ws.max_message_bytes closes the socket.
        tab.send(String(repeating: "y", count: 20_000))
        try await world.waitUntil("socket closed after an oversized frame", timeout: .seconds(10)) { tab.isClosed }
        // Nothing but the one online was published.
        let events = try await world.capturedEvents(atLeast: 1, timeout: .seconds(2))
        #expect(events.filter { $0.0.event != .heartbeat }.map(\.0.event) == [.online])
        await world.tearDown([task])
    }

    @Test func customerTextIsEscapedOnEveryServerRenderedPage() async throws {
        let world = try await GatewayWorld.make("escape")
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (agent, password) = try await world.agent("eve", displayName: "<script>window.pwned=1</script>Eve")
        let client = try await GatewayClient(port: port).signIn(agent, password)
        let console = try await client.get("/")
        #expect(!console.body.contains("<script>window.pwned"))
        #expect(console.body.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;Eve"))
        // The sign-in page echoes the agent id field escaped.
        let page = try await GatewayClient(port: port).post(
            "/signin", form: ["agent_id": "\"><script>x()</script>", "password": "p"])
        #expect(!page.body.contains("<script>x()"))
        #expect(page.body.contains("&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"))
        #expect(HTMLText.escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;")
        await world.tearDown([task])
    }
}
