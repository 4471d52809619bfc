public import ConciergeAMQP
public import ConciergeCore
public import ConciergePostgres
public import Logging
public import ServiceLifecycle

/// Moves dead letters from the dead-letter queue into the archive table (`dead_letters`): receive a batch, insert it
/// in one transaction, commit, then ack. Nothing is lost (ack after commit) and nothing is archived twice (a
/// redelivered dead letter has the same archive key). While the database is down it holds the batch unacknowledged
/// and tries again; it never nacks, so the queue's order and delivery counts are untouched.
///
/// `conciergectl dead-letters archive` runs it (`--follow` as a long-running service beside the workers; without, it
/// drains the queue once and exits). Operators then list, show, export, replay and purge the archive.
public struct DeadLetterArchiver: Service {
    public var amqp: AMQPConfiguration
    public var postgres: PostgresConfiguration
    public var queue: String
    public var logger: Logger
    /// Stop when the queue has been empty for this long (nil: run until shutdown).
    public var stopWhenIdleFor: Duration?
    public var batchSize: Int = 500

    public init(
        amqp: AMQPConfiguration, postgres: PostgresConfiguration, queue: String = FleetNames.deadLetterQueue,
        logger: Logger, stopWhenIdleFor: Duration? = nil
    ) {
        self.amqp = amqp
        self.postgres = postgres
        self.queue = queue
        self.logger = logger
        self.stopWhenIdleFor = stopWhenIdleFor
    }

    /// Runs until shutdown (or until idle, see `stopWhenIdleFor`); returns how many dead letters it archived
    /// (new rows; ones already archived are not counted).
    @discardableResult
    public func archive() async throws -> Int {
        let database = try await PostgresConnection.connect(
            configuration: self.postgres, logger: self.logger, reconnectTimeout: .seconds(5))
        let consumer = try await AMQPConsumer.connect(
            configuration: self.amqp, queue: self.queue, prefetch: UInt16(clamping: self.batchSize * 2),
            topology: .init(), logger: self.logger
        )
        var archived = 0
        var idleSince = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let deliveries = try await consumer.receive(max: self.batchSize, timeout: .milliseconds(250))
            if deliveries.isEmpty {
                if let stopWhenIdleFor, ContinuousClock.now - idleSince >= stopWhenIdleFor { break }
                continue
            }
            let letters = deliveries.map(DeadLetterArchive.Incoming.init)
            while true {
                do {
                    archived += try await database.transaction { transaction in
                        try DeadLetterArchive.insert(letters, in: transaction)
                    }
                    break
                } catch let error as PostgresError where error.isConnectionLoss {
                    // Hold the batch (unacked) until the database is back.
                    self.logger.warning(
                        "dead-letter archive unavailable; holding the batch", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .seconds(1))
                }
            }
            try await consumer.ack(deliveries)
            idleSince = ContinuousClock.now
        }
        await consumer.close()
        await database.close()
        return archived
    }

    public func run() async throws {
        try await self.archive()
    }
}
