import ConciergeCore
import ConciergePostgres
import ConciergeTesting
import EscalationWorker
import Foundation
import MetricsTestKit
import Testing

/// The escalation worker's metrics after a known workload, read from a test metrics backend handed to its consumers and
/// dispatcher (as `EscalationWorker.services` hands the process's one instance): every count is what was committed, once.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct EscalationMetricsTests {
    @Test func offersDeclinesExpiryAcceptanceResolutionAndReopeningAreCountedOnce() async throws {
        let backend = TestMetrics()
        let world = try await EscalationWorld.make("metrics", metrics: EscalationMetrics(factory: backend))
        let (best, good, fair) = try await world.enrollRanked()
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([best, good, fair])

        let conversation = try await world.inquire("m")
        let first = try await world.pendingOffer(conversation, attempt: 1)
        #expect(first.agentID == best)
        try await world.send(best, .decline, offerID: first.offerID, reason: "busy")
        let second = try await world.pendingOffer(conversation, attempt: 2)
        #expect(second.agentID == good)
        // good lets it expire; fair accepts, writes and resolves.
        try await world.letExpire(second.offerID)
        let third = try await world.pendingOffer(conversation, attempt: 3)
        #expect(third.agentID == fair)
        try await world.send(fair, .accept, offerID: third.offerID)
        try await world.waitForState(conversation, "assigned")
        try await world.send(fair, .message, conversationID: conversation, text: "Hello, I am on it")
        try await world.send(fair, .resolve, conversationID: conversation, outcome: "resolved")
        try await world.waitForState(conversation, "resolved")
        // Everyone goes offline (the line then has no one to offer to), and the customer comes back: the resolution
        // is reopened and a second escalation of the same class waits.
        for agent in [best, good, fair] { try await world.send(agent, .offline) }
        try await world.waitUntil("agents offline") {
            try await world.database.query(
                "SELECT count(*) FROM agents WHERE agent_id = ANY($1::text[]) AND presence = 'online'",
                [[best, good, fair]]
            )[0].decode(Int.self, named: "count") == 0
        }
        _ = try await world.inquire("again", conversationID: conversation, customer: "\(world.id)-cus-m")
        try await world.waitUntil("the reopening") {
            try await world.outboxBody("\(conversation).assignment.reopened") != nil
        }

        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
            (try? backend.expectCounter(label, dimensions).totalValue) ?? 0
        }
        func timings(_ label: String) -> Int {
            (try? backend.expectTimer(label).values.count) ?? 0
        }
        // Records run after COMMIT, which the database shows a moment before: wait for the last one, then let the
        // workers run on (dispatcher ticks every 50 ms) and check nothing was counted twice.
        try await world.waitUntil("the reopened count") { counter("concierge_escalation_reopened_total") == 1 }
        try await Task.sleep(for: .seconds(1))

        #expect(counter("concierge_escalations_total", [("class", "normal")]) == 2)
        for other in ["high", "urgent", "vip"] {
            #expect(counter("concierge_escalations_total", [("class", other)]) == 0, "class \(other)")
        }
        #expect(counter("concierge_escalation_offers_total", [("outcome", "declined")]) == 1)
        #expect(counter("concierge_escalation_offers_total", [("outcome", "expired")]) == 1)
        #expect(counter("concierge_escalation_offers_total", [("outcome", "accepted")]) == 1)
        #expect(counter("concierge_escalation_offers_total", [("outcome", "withdrawn")]) == 0)
        #expect(counter("concierge_escalation_offers_total", [("outcome", "late")]) == 0)
        #expect(counter("concierge_escalation_offers_total", [("outcome", "offered")]) == 3)
        #expect(try await world.offers("\(world.id)-inq-again").isEmpty)
        #expect(counter("concierge_escalation_resolved_total", [("outcome", "resolved")]) == 1)
        #expect(counter("concierge_escalation_resolved_total", [("outcome", "unresolved")]) == 0)
        #expect(counter("concierge_escalation_reoffers_total") == 0)
        #expect(counter("concierge_escalation_fallbacks_total") == 0)
        #expect(counter("concierge_escalation_nudges_total") == 0)
        // One first offer (the reopened escalation had no one to go to); one acceptance, assignment, first message.
        #expect(timings("concierge_escalation_time_to_offer_seconds") == 1)
        #expect(timings("concierge_escalation_time_to_accept_seconds") == 1)
        #expect(timings("concierge_escalation_time_to_assignment_seconds") == 1)
        #expect(timings("concierge_escalation_time_to_first_agent_message_seconds") == 1)
        // The dispatcher's gauges describe this world's market: nobody online, one normal conversation waiting.
        #expect(try backend.expectGauge("concierge_escalation_agents_online").lastValue == 0)
        #expect(try backend.expectGauge("concierge_escalation_waiting", [("class", "normal")]).lastValue == 1)

        await world.tearDown(tasks)
    }
}
