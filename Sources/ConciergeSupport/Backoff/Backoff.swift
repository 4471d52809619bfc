/// Exponential backoff with a cap and jitter, for every retry loop of the fleet (reconnects, transaction retries,
/// worker restarts, LLM calls).
///
/// The delay before retry number `attempt` (0-based) is `min(initial × multiplier^attempt, maximum)`, scaled by a
/// random factor drawn from ``jitter-swift.property``. The jitter is applied after the cap, so a symmetric jitter
/// (``Jitter-swift.struct/proportional(_:)``) may go past `maximum` by its fraction.
///
/// ```swift
/// let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5), jitter: .proportional(0.2))
/// try await Task.sleep(for: backoff.delay(forAttempt: failures - 1))
/// ```
public struct Backoff: Sendable, Hashable {
    /// The delay before the first retry (before jitter).
    public var initial: Duration
    /// The largest delay before jitter.
    public var maximum: Duration
    /// How much the delay grows per attempt (at least 1).
    public var multiplier: Double
    /// The random factor each delay is scaled by.
    public var jitter: Jitter

    public init(initial: Duration, maximum: Duration, multiplier: Double = 2, jitter: Jitter) {
        precondition(multiplier >= 1, "multiplier must be at least 1")
        precondition(initial >= .zero, "initial must not be negative")
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before retry number `attempt` (0-based; a negative attempt counts as 0) without jitter:
    /// `min(initial × multiplier^attempt, maximum)`.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        // Grown step by step and only while below the cap, so no power overflows; the step count is bounded so that
        // a zero `initial` or a multiplier of 1 ends too.
        var delay = self.initial
        var step = 0
        let steps = min(max(attempt, 0), 1_000)
        let wholeMultiplier = self.multiplier.rounded(.towardZero) == self.multiplier && self.multiplier <= 1_000_000
        while step < steps && delay < self.maximum {
            delay = wholeMultiplier ? delay * Int(self.multiplier) : delay * self.multiplier
            step += 1
        }
        return min(delay, self.maximum)
    }

    /// The delay before retry number `attempt` (0-based), jittered with `generator`.
    public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        self.jitter.apply(to: self.ceiling(forAttempt: attempt), using: &generator)
    }

    /// The delay before retry number `attempt` (0-based), jittered with the system's generator.
    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.delay(forAttempt: attempt, using: &generator)
    }
}
