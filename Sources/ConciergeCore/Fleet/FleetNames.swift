/// Names of the exchanges, queues and routing keys the fleet shares with upstream systems. One place, so the topology,
/// the workers, the CLI and the documentation cannot disagree.
public enum FleetNames {
    /// Topic exchange where upstream publishes `inquiry.v1` with the routing key `inquiry.<channel>`.
    public static let inquiriesExchange = "concierge.inquiries"
    /// Direct exchange for the fleet's internal lanes (worker to worker).
    public static let workExchange = "concierge.work"
    /// Topic exchange where the fleet publishes replies, offers and other outcomes; upstream binds its own queues.
    public static let outcomesExchange = "concierge.outcomes"
    /// Topic exchange where the agent app publishes agent events (`agent.<agent_id>.<event>`).
    public static let agentsExchange = "concierge.agents"
    /// Fan-out exchange and quorum queue receiving every dead-lettered message.
    public static let deadLetterExchange = "concierge.dead-letter"
    public static let deadLetterQueue = "concierge.dead-letter"
    /// Direct exchange the retry tiers dead-letter expired messages to: each worker queue is bound to it with its own
    /// name as the key, so a message returns to the queue it was retried from. (Not the default exchange: declaring a
    /// queue that dead-letters to it needs write permission on `amq.default`, which would let a worker's user publish
    /// into any queue.)
    public static let retryReturnExchange = "concierge.retry.return"

    public static let classifierQueue = "concierge.classifier"
    public static let responderQueue = "concierge.responder"
    public static let escalationQueue = "concierge.escalation"
    public static let agentEventsQueue = "concierge.agent-events"
    public static let payoutQueue = "concierge.payout"

    /// Routing keys on the work exchange.
    public static let aiLaneKey = "lane.ai"
    public static let humanLaneKey = "lane.human"
    public static let payoutKey = "payout.event"

    /// Headers the fleet sets on dead-lettered and retried messages.
    public enum Headers {
        public static let reason = "x-concierge-reason"
        public static let detail = "x-concierge-detail"
        public static let queue = "x-concierge-queue"
        public static let worker = "x-concierge-worker"
        public static let retries = "x-concierge-retries"
        /// On a message a worker re-published to its own retry tier or to the dead-letter exchange: the validated
        /// AMQP user (`user_id`) of whoever published it first ("" for none). The re-published copy carries the
        /// worker's own `user_id` (the broker allows no other), and the worker trusts this header only on a message
        /// whose `user_id` is its own.
        public static let producer = "x-concierge-producer"
    }
}
