import ConciergeBench
import Testing

/// The judgement of a `bench pipeline` run: any lost outcome or unconfirmed publish fails it, loudly.
@Suite struct BenchPhaseResultTests {
    @Test func everyPublishedInquiryWithAnOutcomePasses() {
        let result = BenchPhaseResult(planned: 10_000, published: 10_000, outcomes: 10_000)
        #expect(result.verdict == .passed)
        #expect(result.exitCode == 0)
        #expect(result.failureReport(timeoutSeconds: 120, fleet: "x").isEmpty)
    }

    /// The run of issue #14: the fixed-rate phase received no outcome at all and still exited 0.
    @Test func noOutcomeAtAllFailsAndSaysSo() {
        let result = BenchPhaseResult(planned: 10_000, published: 10_000, outcomes: 0)
        #expect(result.verdict == .lostOutcomes(missing: 10_000, published: 10_000))
        #expect(result.exitCode == 2)
        let report = result.failureReport(timeoutSeconds: 120, fleet: "concierge.classifier 10000 ready/0 consumers")
        #expect(
            report.first
                == "FAILED: 10000 of 10000 published inquiries got no outcome within 120 s of the last publish (none arrived at all)"
        )
        #expect(report.contains("  fleet now: concierge.classifier 10000 ready/0 consumers"))
    }

    @Test func oneLostOutcomeFailsWithTheDeadLettersByReason() {
        let result = BenchPhaseResult(
            planned: 500, published: 500, outcomes: 499, deadLettered: ["unknown_customer": 1])
        #expect(result.verdict == .lostOutcomes(missing: 1, published: 500))
        #expect(result.exitCode == 2)
        let report = result.failureReport(timeoutSeconds: 5, fleet: "f")
        #expect(report.first == "FAILED: 1 of 500 published inquiries got no outcome within 5 s of the last publish")
        #expect(report.contains("  dead-lettered messages of this run: 1 (unknown_customer=1)"))
    }

    /// A publish that was not confirmed ends the run early: its figures are not of the planned load, even when every
    /// confirmed inquiry got its outcome.
    @Test func unconfirmedPublishingFailsEvenWithAllOutcomes() {
        let result = BenchPhaseResult(
            planned: 1000, published: 400, publishingError: "publish not confirmed", outcomes: 400)
        #expect(result.verdict == .publishingFailed(published: 400, planned: 1000))
        #expect(result.exitCode == 4)
        #expect(
            result.failureReport(timeoutSeconds: 120, fleet: "f").first
                == "FAILED: publishing stopped after 400 of 1000 inquiries were confirmed: publish not confirmed")
    }
}
