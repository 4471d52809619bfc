import AgentGateway
import ConciergeCore
import ConciergeTesting
import Foundation
import HTTPTypes
import MetricsTestKit
import Testing

/// The gateway's metrics after a known workload (sign-ins, frames of every kind, messages from the broker), read from a
/// test metrics backend handed to the replica.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct GatewayMetricsTests {
    @Test func signInsFramesAndDeliveriesAreCountedByTheirOutcome() async throws {
        let backend = TestMetrics()
        let world = try await GatewayWorld.make("metrics")
        let (gateway, task, port) = try await world.startGateway("a", metrics: GatewayMetrics(factory: backend))
        defer { _ = gateway }
        let (agent, password) = try await world.agent("mia")
        func count(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
            (try? backend.expectCounter(label, dimensions).totalValue) ?? 0
        }
        func events(_ event: String, _ outcome: String) -> Int64 {
            count("concierge_gateway_events_total", [("event", event), ("outcome", outcome)])
        }

        let wrong = try await GatewayClient(port: port).post(
            "/signin", form: ["agent_id": agent, "password": "not-it"])
        #expect(wrong.status == .unauthorized)
        let client = try await GatewayClient(port: port).signIn(agent, password)
        #expect(count("concierge_gateway_signins_total", [("outcome", "rejected")]) == 1)
        #expect(count("concierge_gateway_signins_total", [("outcome", "signed_in")]) == 1)
        #expect(count("concierge_gateway_signins_total", [("outcome", "locked_out")]) == 0)

        let tab = try await client.tab(logger: world.logger)
        tab.send("this is not json")
        #expect(try await tab.frame(ofType: "error")["code"] as? String == "malformed")
        tab.send(["type": "launch_missiles", "client_id": "m1"])
        #expect(try await tab.answer(to: "m1")["code"] as? String == "unknown_type")
        tab.send(["type": "accept", "client_id": "m2"])
        #expect(try await tab.answer(to: "m2")["code"] as? String == "invalid")
        tab.send(["type": "accept", "offer_id": "off-not-\(world.id)", "client_id": "m3"])
        #expect(try await tab.answer(to: "m3")["code"] as? String == "not_yours")
        tab.send(["type": "online", "client_id": "m4"])
        #expect(try await tab.answer(to: "m4")["type"] as? String == "sent")
        #expect(events("unknown", "malformed") == 1)
        #expect(events("unknown", "unknown_type") == 1)
        #expect(events("unknown", "invalid") == 1)
        #expect(events("accept", "not_yours") == 1)
        #expect(events("accept", "published") == 0)
        #expect(events("online", "published") == 1)
        #expect(events("online", "not_sent") == 0)
        #expect(try backend.expectGauge("concierge_gateway_connected_agents").lastValue == 1)
        #expect(try backend.expectGauge("concierge_gateway_connected_tabs").lastValue == 1)

        // From the broker: an offer for the agent reaches its tab; a body that is not a contract is dropped.
        let offerID = "off-\(world.id)"
        try await world.publishOutcome(
            ReplicaTests.offer(agent, offerID), id: offerID, key: OfferV1.routingKey(agentID: agent))
        _ = try await tab.frame(ofType: "offer", timeout: .seconds(15)) {
            ($0["body"] as? [String: Any])?["offer_id"] as? String == offerID
        }
        try await world.publishRaw(
            Array("{\"not\": \"a contract\"}".utf8), id: "junk-\(world.id)", exchange: FleetNames.outcomesExchange,
            key: OfferV1.routingKey(agentID: agent), mandatory: false
        )
        try await world.waitUntil("the junk counted") {
            count("concierge_gateway_deliveries_total", [("schema", "invalid"), ("outcome", "no_tab")]) == 1
        }
        #expect(count("concierge_gateway_deliveries_total", [("schema", "offer.v1"), ("outcome", "delivered")]) == 1)
        #expect(count("concierge_gateway_deliveries_total", [("schema", "offer.v1"), ("outcome", "no_tab")]) == 0)

        await tab.close()
        try await world.waitUntil("the tab counted as gone") {
            try backend.expectGauge("concierge_gateway_connected_tabs").lastValue == 0
        }
        await world.tearDown([task])
    }
}
