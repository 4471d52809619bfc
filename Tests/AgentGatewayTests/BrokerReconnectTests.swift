import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergeTesting
import Foundation
import Testing

/// A replica that loses the broker serves its connected agents again once it is back. The broker stays up for the
/// other suites: the replica's connections are closed by `rabbitmqctl close_connection` and its queue is deleted, as
/// the broker does after 60 s without a consumer (`x-expires`); that is what a broker restart or a long outage leaves.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct BrokerReconnectTests {
    @Test func connectedAgentKeepsReceivingAfterTheReplicaLosesTheBrokerAndItsQueue() async throws {
        let world = try await GatewayWorld.make("rebind")
        let connectionName = "test-gateway-rebind-\(world.id)"
        let (gateway, task, port) = try await world.startGateway("a", connectionName: connectionName)
        defer { _ = gateway }
        let queue = world.gatewaySettings("a").queueName
        let (agent, password) = try await world.agent("lee")
        let tab = try await GatewayClient(port: port).signIn(agent, password).tab(logger: world.logger)
        try await world.publishOutcome(ReplicaTests.offer(agent, "o-1"), id: "o-1", key: OfferV1.routingKey(agentID: agent))
        _ = try await tab.frame(ofType: "offer") { Self.offerID($0) == "o-1" }

        // The outage: the replica's queue is gone and the broker drops both of its connections (publisher, consumer).
        try await world.publisher.deleteQueue(queue)
        let lost = try await BrokerConnections.close(named: connectionName)
        #expect(lost.count == 2)
        var seen = ""
        do {
            try await world.waitUntil("the replica reconnects and consumes again", timeout: .seconds(60)) {
                let now = try await BrokerConnections.pids(named: connectionName)
                let consumers = try await world.publisher.queueStatus(queue)?.consumerCount
                seen = "connections \(now) (lost \(lost)), consumers on \(queue): \(consumers.map(String.init) ?? "no queue")"
                // The consumer reconnects at once; the publisher when it next publishes.
                return !now.isEmpty && now.isDisjoint(with: lost) && consumers == 1
            }
        } catch {
            throw TestFailure("\(error); last seen: \(seen)")
        }

        // The tab that stayed open gets the agent's offers and customer messages again ...
        try await world.publishOutcome(ReplicaTests.offer(agent, "o-2"), id: "o-2", key: OfferV1.routingKey(agentID: agent))
        _ = try await tab.frame(ofType: "offer", timeout: .seconds(15)) { Self.offerID($0) == "o-2" }
        let message = CustomerMessageV1(
            inquiryID: "m-1", conversationID: "conv-x", assignmentID: "conv-x.assignment", agentID: agent, seq: 3,
            text: "Are you still there?", sentAt: Timestamps.format(Date())
        )
        try await world.publishOutcome(message, id: message.messageID, key: AssignmentV1.routingKey(agentID: agent))
        let received = try await tab.frame(ofType: "customer_message", timeout: .seconds(15))
        #expect((received["body"] as? [String: Any])?["text"] as? String == "Are you still there?")
        #expect(await gateway.boundAgents() == [agent])

        // ... and its events go out through the reconnected publisher.
        tab.send(["type": "online", "client_id": "e1"])
        #expect(try await tab.answer(to: "e1")["type"] as? String == "sent")
        let events = try await world.capturedEvents(atLeast: 1)
        #expect(events.contains { $0.0.event == .online && $0.0.agentID == agent })

        await tab.close()
        await world.tearDown([task])
    }

    static func offerID(_ frame: [String: Any]) -> String? {
        (frame["body"] as? [String: Any])?["offer_id"] as? String
    }
}
