/// Jittered exponential backoff: `base * 2^attempt`, capped, then scaled by a random factor in `1 ± jitter`.
public struct Backoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    public var jitter: Double

    public init(base: Duration = .milliseconds(100), cap: Duration = .seconds(5), jitter: Double = 0.2) {
        precondition(jitter >= 0 && jitter < 1, "jitter must be in [0, 1)")
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay before retry number `attempt` (0-based).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt, 0), 30)
        let raw = self.base * (1 << exponent)
        let capped = raw > self.cap ? self.cap : raw
        guard self.jitter > 0 else { return capped }
        let factor = Double.random(in: (1 - self.jitter)...(1 + self.jitter), using: &generator)
        return capped * factor
    }

    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.delay(attempt: attempt, using: &generator)
    }
}
