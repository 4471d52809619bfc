public import ConciergeAMQP
public import ConciergeCore

/// How one worker consumes. Read from configuration by `FleetConfiguration.workerSettings(name:queue:)`; tests build it
/// directly.
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
    /// themselves, and a lone message is not held back (a wait did no better in the pipeline benchmark: README,
    /// "Measured figures").
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
    /// Most committed outbox rows waiting in memory for the relay (`outbox.handoff_limit`). While the broker does not
    /// take publishes (a memory alarm blocks the connection), further rows stay only in the outbox, where the sweep
    /// takes them a batch at a time: memory stays bounded and nothing is lost.
    public var outboxHandoffLimit: Int = 10_000
    /// How long a transaction keeps reconnecting to a database that went away before the worker stops and holds its
    /// messages (see `WorkerService`). Short enough that the loop ticks liveness well within its timeout (30 s).
    public var databaseReconnectTimeout: Duration = .seconds(5)
    /// How often an idle worker checks that the database answers, so readiness falls during an outage even when no
    /// message is in flight.
    public var databaseProbeInterval: Duration = .seconds(5)

    /// The worker's AMQP user (set from its AMQP configuration by `WorkerService`): the `user_id` of what it
    /// publishes, and the user whose re-published messages keep their first publisher in `x-concierge-producer`.
    public var amqpUser: String?
    /// Whose unsent outbox rows this worker's relay sweeps up (rows whose writer died, or written outside a handler):
    /// `nil`, the default, takes only its own (`name`): a worker's AMQP user may publish only what its kind publishes,
    /// and a relay of another kind, virtual host or test must not take them. `WorkerApp` adds the producers a process
    /// stands for (the escalation process: its dispatcher's rows).
    public var sweptProducers: [String]?
    /// Operators' AMQP users (`worker.operator_users`, default `concierge`, the user `conciergectl` runs as): a message
    /// one of them published with `x-concierge-producer` (a dead letter replayed by `conciergectl dead-letters replay`)
    /// counts as published by that header's user. Operators can configure the broker anyway; no worker is one.
    public var operatorUsers: Set<String> = ["concierge"]
    /// The AMQP users whose messages this worker takes (`producer(of:)`, so a retried or replayed message counts as
    /// its first publisher's); anything else is dead-lettered as `untrusted_sender` before it is decoded. `nil` takes
    /// everyone's (upstream inquiries; tests). The executables set it from `<worker>.producers`.
    public var acceptedProducers: Set<String>?

    public init(name: String, queue: String, topology: AMQPTopology) {
        self.name = name
        self.queue = queue
        self.topology = topology
    }
}

extension WorkerSettings {
    /// A message's first publisher: its `user_id`, or, when that is this worker's own user (it re-published the
    /// message through a retry tier) or an operator's (`operatorUsers`: a dead letter replayed) and the message
    /// carries `x-concierge-producer`, that header ("" meaning none). The broker lets nobody else publish with those
    /// `user_id`s, so no other component can forge the header.
    public func producer(of properties: AMQPProperties) -> String? {
        guard let user = properties.userId else { return nil }
        guard user == self.amqpUser || self.operatorUsers.contains(user),
            case .string(let first)? = properties.headers[FleetNames.Headers.producer]
        else {
            return user
        }
        return first.isEmpty ? nil : first
    }
}
