/// Jittered exponential backoff: `initial * 2^attempt`, capped at `maximum`, each delay scaled by a random
/// factor in 0.8…1.2.
struct AMQPBackoff {
    var initial: Duration
    var maximum: Duration
    private(set) var attempt = 0

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt; counts the attempt.
    mutating func nextDelay() -> Duration {
        var delay = initial
        for _ in 0..<min(attempt, 30) where delay < maximum { delay *= 2 }
        delay = min(delay, maximum)
        attempt += 1
        return delay * Double.random(in: 0.8...1.2)
    }

    mutating func reset() { attempt = 0 }
}
