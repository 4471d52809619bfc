import ConciergeCore
import Testing

@Suite struct RetryTests {
    @Test func tiersThenDeadLetter() {
        let tiers = RetryTiers(delays: [.seconds(1), .seconds(5), .milliseconds(1500)])
        #expect(tiers.decide(previousRetries: 0) == .retry(tier: 0))
        #expect(tiers.decide(previousRetries: 2) == .retry(tier: 2))
        #expect(tiers.decide(previousRetries: 3) == .deadLetter)
        #expect(tiers.queueName(tier: 1) == "concierge.retry.quorum.5s")
        #expect(tiers.queueName(tier: 2) == "concierge.retry.quorum.1500ms")
        // The classic tiers of earlier versions keep their names, for the upgrade step that deletes them.
        #expect(tiers.legacyQueueName(tier: 1) == "concierge.retry.5s")
        #expect(tiers.legacyQueueName(tier: 2) == "concierge.retry.1500ms")
        #expect(tiers.ttlMilliseconds(tier: 2) == 1500)
    }
}
