import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergeTesting
import Foundation
import Testing

/// A replica that loses the broker serves its connected agents again once it is back. The broker stays up for the
/// other suites: the test deletes the replica's queue, as the broker does after 60 s without a consumer (`x-expires`)
/// or when it restarts (the queue is not durable), and closes the replica's connections with
/// `rabbitmqctl close_connection`.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct BrokerReconnectTests {
    @Test(.timeLimit(.minutes(3)))
    func connectedAgentKeepsReceivingAfterTheReplicaLosesTheBrokerAndItsQueue() async throws {
        let world = try await GatewayWorld.make("rebind")
        // Found on the broker by its name; reconnects after 10 s (±20 %): time to remove the queue while it is away.
        var amqp = world.gatewayAMQP
        amqp.connectionName = "test-gateway-rebind-\(world.id)"
        amqp.initialReconnectDelay = .seconds(10)
        amqp.maximumReconnectDelay = .seconds(10)
        let (gateway, task, port) = try await world.startGateway("a", amqp: amqp)
        defer { _ = gateway }
        let queue = world.gatewaySettings("a").queueName
        let (agent, password) = try await world.agent("lee")
        let tab = try await GatewayClient(port: port).signIn(agent, password).tab(logger: world.logger)
        try await self.offer("o-1", to: agent, reaches: tab, world: world)

        // The queue goes while the replica is connected: the broker cancels its consumer, which subscribes again.
        try await world.publisher.deleteQueue(queue)
        try await world.waitUntil("the replica consumes again", timeout: .seconds(30)) {
            try await world.publisher.queueStatus(queue)?.consumerCount == 1
        }
        try await self.offer("o-2", to: agent, reaches: tab, world: world)

        // The broker drops both connections (publisher, consumer) and the queue goes before the replica is back.
        let lost = try await BrokerConnections.close(named: amqp.connectionName)
        #expect(lost.count == 2)
        try await world.publisher.deleteQueue(queue)
        #expect(try await world.publisher.queueStatus(queue) == nil)
        var seen = ""
        do {
            try await world.waitUntil("the replica reconnects and consumes again", timeout: .seconds(60)) {
                let now = try await BrokerConnections.pids(named: amqp.connectionName)
                let consumers = try await world.publisher.queueStatus(queue)?.consumerCount
                seen =
                    "connections \(now) (lost \(lost)), consumers on \(queue): \(consumers.map(String.init) ?? "no queue")"
                // The consumer reconnects by itself; the publisher when it next publishes.
                return !now.isEmpty && now.isDisjoint(with: lost) && consumers == 1
            }
        } catch {
            throw TestFailure("\(error); last seen: \(seen)")
        }

        // The tab that stayed open gets the agent's offers and customer messages again ...
        try await self.offer("o-3", to: agent, reaches: tab, world: world)
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

    /// Publishes an offer for the agent as the escalation worker would and waits for it on the tab.
    func offer(_ id: String, to agent: String, reaches tab: Tab, world: GatewayWorld) async throws {
        try await world.publishOutcome(ReplicaTests.offer(agent, id), id: id, key: OfferV1.routingKey(agentID: agent))
        _ = try await tab.frame(ofType: "offer", timeout: .seconds(15)) {
            ($0["body"] as? [String: Any])?["offer_id"] as? String == id
        }
    }
}
