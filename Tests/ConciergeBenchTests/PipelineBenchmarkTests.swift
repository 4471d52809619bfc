import Histogram
import Testing

@testable import ConciergeBench

/// What `bench pipeline` publishes and prints, without a fleet.
@Suite struct PipelineBenchmarkTests {
    /// Every 25th seeded customer is a VIP, whom the policy sends to humans first: the run skips them.
    @Test func customersSkipTheSeededVIPs() {
        #expect(PipelineBenchmark.customerNumbers(from: 23, count: 4) == [23, 24, 26, 27])
        #expect(PipelineBenchmark.customerNumbers(from: 1, count: 100).allSatisfy { $0 % 25 != 0 })
        #expect(Set(PipelineBenchmark.customerNumbers(from: 1, count: 100)).count == 100)
    }

    @Test(arguments: [(0.0, Int.max), (1.0, 1), (0.25, 4), (0.3, 3), (0.01, 100)])
    func theHumanShareBecomesEveryNthInquiry(share: Double, every: Int) {
        #expect(PipelineBenchmark.humanEvery(share: share) == every)
    }

    @Test func theLastOfEveryNthInquiryNeedsAHuman() {
        let texts = (0..<8).map { PipelineBenchmark.text(of: $0, humanEvery: 4) }
        #expect(texts.enumerated().filter { PipelineBenchmark.human.contains($0.element) }.map(\.offset) == [3, 7])
        #expect(
            (0..<50).allSatisfy { PipelineBenchmark.routine.contains(PipelineBenchmark.text(of: $0, humanEvery: .max)) }
        )
    }

    @Test func figuresPrintThroughputAndPercentilesPerLane() {
        var ai = BenchSupport.latencyHistogram()
        for micros in [1_000, 2_000, 3_000, 4_000] as [UInt64] { _ = ai.record(micros) }
        let figures = PipelineFigures(
            planned: 10, published: 4, publishSeconds: 2, outcomes: 4, outcomeSeconds: 4, kinds: ["reply.v1": 4],
            ai: ai,
            other: BenchSupport.latencyHistogram()
        )
        let lines = figures.lines()
        #expect(lines[0] == "published:   4 of 10 in 2.00 s (2/s)")
        #expect(lines[1] == "outcomes:    4 of 4 in 4.00 s — 1 inquiries/s end to end")
        #expect(lines[2] == "by kind:     reply.v1=4")
        #expect(lines[3].hasPrefix("AI lane (inquiry → reply): 4 — p50 2.0 ms"))
        #expect(lines[3].hasSuffix("max 4.0 ms"))
        #expect(lines[4] == "other (inquiry → handoff, offer or human-lane notice): none")
    }

    @Test func noOutcomeAtAllSaysSo() {
        let figures = PipelineFigures(
            planned: 3, published: 3, publishSeconds: 1, outcomes: 0, outcomeSeconds: 0, kinds: [:],
            ai: BenchSupport.latencyHistogram(),
            other: BenchSupport.latencyHistogram()
        )
        #expect(figures.lines()[1] == "outcomes:    0 of 3")
    }
}
