import ConciergeSupport
import Testing

@Suite struct BackoffTests {
    @Test func withoutJitterTheDelayDoublesUpToTheMaximum() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2), jitter: .none)
        let delays = (0..<8).map { backoff.delay(forAttempt: $0) }
        #expect(delays == [100, 200, 400, 800, 1600, 2000, 2000, 2000].map { Duration.milliseconds($0) })
    }

    @Test func negativeAndHugeAttemptsStayInBounds() {
        let backoff = Backoff(initial: .milliseconds(50), maximum: .seconds(2), jitter: .none)
        #expect(backoff.ceiling(forAttempt: -3) == .milliseconds(50))
        #expect(backoff.ceiling(forAttempt: .max) == .seconds(2))
        #expect(Backoff(initial: .zero, maximum: .seconds(1), jitter: .none).ceiling(forAttempt: .max) == .zero)
        #expect(
            Backoff(initial: .seconds(1), maximum: .seconds(5), multiplier: 1, jitter: .none).ceiling(forAttempt: 40)
                == .seconds(1))
    }

    @Test func anInitialAboveTheMaximumIsCapped() {
        #expect(
            Backoff(initial: .seconds(9), maximum: .seconds(5), jitter: .none).ceiling(forAttempt: 0) == .seconds(5))
    }

    @Test func aFractionalMultiplierGrowsByIt() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(10), multiplier: 1.5, jitter: .none)
        #expect(backoff.ceiling(forAttempt: 2) == .milliseconds(2250))
        #expect(
            Backoff(initial: .milliseconds(1), maximum: .seconds(1), multiplier: 10, jitter: .none).ceiling(
                forAttempt: 2) == .milliseconds(100))
    }

    @Test(arguments: [
        (Backoff.Jitter.proportional(0.2), 0.8, 1.2),
        (Backoff.Jitter.full, 0.0, 1.0),
        (Backoff.Jitter.equal, 0.5, 1.0),
    ])
    func jitteredDelaysStayInTheirRange(jitter: Backoff.Jitter, low: Double, high: Double) {
        var generator = SplitMix64(seed: 42)
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2), jitter: jitter)
        var seen: Set<Duration> = []
        for attempt in 0..<12 {
            let ceiling = backoff.ceiling(forAttempt: attempt)
            for _ in 0..<50 {
                let delay = backoff.delay(forAttempt: attempt, using: &generator)
                #expect(delay >= ceiling * low && delay <= ceiling * high, "attempt \(attempt): \(delay)")
                seen.insert(delay)
            }
        }
        #expect(seen.count > 500, "jitter draws different delays")
    }

    @Test func theSameSeedGivesTheSameDelays() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5), jitter: .proportional(0.2))
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        let a = (0..<10).map { backoff.delay(forAttempt: $0, using: &first) }
        let b = (0..<10).map { backoff.delay(forAttempt: $0, using: &second) }
        #expect(a == b)
        #expect(a != (0..<10).map { backoff.ceiling(forAttempt: $0) })
    }

    @Test func noJitterDrawsNothingFromTheGenerator() {
        var used = SplitMix64(seed: 1)
        _ = Backoff(initial: .milliseconds(10), maximum: .seconds(1), jitter: .none).delay(forAttempt: 3, using: &used)
        var fresh = SplitMix64(seed: 1)
        #expect(used.next() == fresh.next())
    }

    @Test func aSinglePointJitterScalesExactly() {
        var generator = SplitMix64(seed: 1)
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(8), jitter: Backoff.Jitter(factors: 0.5...0.5))
        #expect(backoff.delay(forAttempt: 2, using: &generator) == .seconds(2))
    }
}
