import ConciergeSupport

/// The retry ladder for transient failures: a message that failed transiently is parked in the retry queue of tier
/// `attempt` (one quorum queue per tier, each with a queue-level TTL and at-least-once dead-lettering) and comes back
/// to its original queue when the TTL expires. After the last tier it is dead-lettered with the reason
/// `retries_exhausted`.
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

    /// The name of the retry queue (and of the fan-out exchange in front of it) for a tier, e.g.
    /// `concierge.retry.quorum.5s`.
    public func queueName(tier: Int) -> String {
        "concierge.retry.quorum.\(self.delayName(tier: tier))"
    }

    /// The name earlier versions gave the tier's queue and exchange (a classic queue, e.g. `concierge.retry.5s`).
    /// Queue arguments cannot change on an existing queue, so the quorum tiers have new names; the classic ones drain
    /// by themselves (their messages still return to their original queues) and are then deleted
    /// (`conciergectl topology --remove-legacy-retry-tiers`).
    public func legacyQueueName(tier: Int) -> String {
        "concierge.retry.\(self.delayName(tier: tier))"
    }

    private func delayName(tier: Int) -> String {
        let milliseconds = self.ttlMilliseconds(tier: tier)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    public func ttlMilliseconds(tier: Int) -> Int64 {
        self.delays[tier].inMilliseconds
    }
}
