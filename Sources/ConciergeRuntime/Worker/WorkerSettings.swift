public import ConciergeAMQP
public import ConciergeCore

/// How one worker consumes. Read from configuration by `WorkerConfiguration`; tests build it directly.
public struct WorkerSettings: Sendable {
    /// The worker's name: the inbox's consumer key, the metrics' `worker` dimension, the logs' `worker.name`.
    public var name: String
    /// The queue to consume.
    public var queue: String
    /// Declared on every (re)connect before consuming.
    public var topology: AMQPTopology
    /// Unacknowledged deliveries the broker may send ahead (`basic.qos`). Must exceed `batchSize`.
    public var prefetch: UInt16 = 1000
    /// Most messages applied in one transaction.
    public var batchSize: Int = 500
    /// How long to wait for a batch to fill once the first message is there. Zero (the default) takes what has
    /// arrived: under load, messages pile up while the previous batch's transaction runs, so batches grow by
    /// themselves, and a lone message is not held back (in single pipeline-benchmark runs 0 did at least as well as
    /// 2 or 5 ms, in throughput and in latency).
    public var batchWait: Duration = .zero
    /// Attempts at a message that came back after a worker died holding it, before it is dead-lettered as poison.
    public var poisonAttempts: Int = 3
    /// Transient failures go through these tiers, then to the dead-letter queue.
    public var retryTiers: RetryTiers = .init()
    /// Where the worker publishes dead letters (a fan-out exchange; the fleet's `concierge.dead-letter`). Tests that
    /// dead-letter thousands of messages point it at a private exchange.
    public var deadLetterExchange: String = FleetNames.deadLetterExchange
    /// Bodies larger than this are dead-lettered as oversized.
    public var maximumBodySize: Int = 64 * 1024
    /// How often the outbox relay sweeps for rows nobody is publishing: rows whose writer died, rows written by
    /// code outside a handler (`Outbox.write`, e.g. the escalation dispatcher's offers), failed publishes.
    public var outboxSweepInterval: Duration = .milliseconds(500)
    /// How long a transaction keeps reconnecting to a database that went away before the worker stops and holds its
    /// messages (see `WorkerService`). Short enough that the loop ticks liveness well within its timeout (30 s).
    public var databaseReconnectTimeout: Duration = .seconds(5)
    /// How often an idle worker checks that the database answers, so readiness falls during an outage even when no
    /// message is in flight.
    public var databaseProbeInterval: Duration = .seconds(5)

    public init(name: String, queue: String, topology: AMQPTopology) {
        self.name = name
        self.queue = queue
        self.topology = topology
    }
}
