import ConciergeCore
import ConciergeSupport
import Testing

@testable import ConciergeAdmin

/// The simulator's pacing and its own delivery figures, without a broker.
@Suite struct AgentSimulationTests {
    /// One inquiry at once, then one every 1/rate seconds, never more than the run's total.
    @Test func inquiriesAreDueAtTheRate() {
        #expect(AgentSimulation.due(after: .zero, rate: 50, total: 1000) == 1)
        #expect(AgentSimulation.due(after: .milliseconds(100), rate: 50, total: 1000) == 6)
        #expect(AgentSimulation.due(after: .seconds(2), rate: 50, total: 1000) == 101)
        #expect(AgentSimulation.due(after: .seconds(3600), rate: 50, total: 1000) == 1000)
        #expect(AgentSimulation.due(after: .seconds(10), rate: 50, total: 0) == 0)
    }

    @Test func belowStaysBelowTheBoundAndIsRepeatableFromTheSeed() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let rolls = (0..<1000).map { _ in first.below(7) }
        #expect(rolls.allSatisfy { (0..<7).contains($0) })
        #expect(Set(rolls).count == 7)
        #expect(rolls == (0..<1000).map { _ in second.below(7) })
        #expect(first.below(0) == 0)
    }

    @Test func deliveryFiguresUseTheNearestRank() {
        let values = (1...100).map { Duration.milliseconds($0) }
        #expect(DeliveryFigures.line("x", values) == "x: n=100 p50 50.0 ms, p99 99.0 ms, max 100.0 ms")
        #expect(DeliveryFigures.line("x", [.microseconds(1500)]) == "x: n=1 p50 1.5 ms, p99 1.5 ms, max 1.5 ms")
        #expect(DeliveryFigures.line("x", []) == "x: no samples")
    }

    @Test func deliveryFiguresPrintLoadOnlyWhenSampled() {
        var figures = DeliveryFigures()
        figures.waitingNotices = 3
        #expect(
            figures.lines() == [
                "", "message delivery (published -> delivered to the other side):", "  customer -> agent: no samples",
                "  agent -> customer: no samples", "  capacity freed -> next offer: no samples",
                "  waiting-line notices to customers: 3",
            ])
        figures.load = [0.5, 1.0, 0.25]
        #expect(figures.lines().last == "  agent load (held / online capacity): mean 58%, max 100%")
    }
}
