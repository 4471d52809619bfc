/// The retry ladder for transient failures: a message that failed transiently is parked in the retry queue of tier
/// `attempt` (one queue per tier, each with a queue-level TTL) and comes back to its original queue when the TTL
/// expires. After the last tier it is dead-lettered with the reason `retries_exhausted`.
public struct RetryTiers: Sendable, Hashable {
    /// The delay of each tier, shortest first.
    public var delays: [Duration]

    public init(delays: [Duration] = [.seconds(1), .seconds(5), .seconds(30)]) {
        precondition(!delays.isEmpty, "at least one retry tier")
        self.delays = delays
    }

    /// What to do with a message that failed transiently on its `attempt`-th retry (0 = first failure).
    public enum Decision: Sendable, Hashable {
        case retry(tier: Int)
        case deadLetter
    }

    public func decide(previousRetries: Int) -> Decision {
        previousRetries < self.delays.count ? .retry(tier: previousRetries) : .deadLetter
    }

    /// The name of the retry queue (and of the fan-out exchange in front of it) for a tier, e.g. `concierge.retry.5s`.
    public func queueName(tier: Int) -> String {
        let delay = self.delays[tier]
        let milliseconds = delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "concierge.retry.\(milliseconds / 1000)s" }
        return "concierge.retry.\(milliseconds)ms"
    }

    public func ttlMilliseconds(tier: Int) -> Int64 {
        let delay = self.delays[tier]
        return delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
    }
}
