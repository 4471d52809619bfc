public import ConciergeAMQP
import ConciergeCore
public import ConciergePostgres
import ConciergeSupport
import Foundation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization

/// The runtime every worker shares.
///
/// consume → decode and validate → one transaction per batch that inserts the message ids into the inbox (duplicates
/// are skipped), applies the handler and writes every outgoing message to the outbox → commit → ack → the relay
/// publishes the outbox with confirms → the next batch transaction marks the confirmed rows sent (the relay does it
/// when no batch comes within 100 ms).
///
/// - Bad input (not JSON, wrong schema, unknown version, oversized, no id) is published to the dead-letter exchange
///   with a reason header, confirmed, then acked: it never loops.
/// - When a batch fails, each message is retried alone so one bad message does not hold back the others. A message
///   that fails alone with a `HandlerError` is dead-lettered; with any other error it is parked in the next retry
///   tier (queue-level TTL) and dead-lettered with `retries_exhausted` after the last one. A failed batch is split
///   in halves down to single messages. Text PostgreSQL cannot store (a NUL character, SQLSTATE class 22) is
///   dead-lettered at once (`unstorable_text`, `unstorable_data`).
/// - An outage is nobody's fault and never dead-letters or retries a message. When the database is out of reach
///   (past `databaseReconnectTimeout` of reconnecting), or the broker does not take a dead letter or retry, the
///   worker holds the deliveries it has unacknowledged (no nack: that would spend their delivery budget), takes no
///   new ones (the broker keeps at most `prefetch` on the channel), reports not ready while staying alive (the loop
///   keeps ticking), probes the dependency, and applies what it holds once it answers again. An idle worker probes
///   the database every `databaseProbeInterval`, so readiness also falls when nothing is in flight.
/// - A message redelivered after a worker died holding it is applied alone, after counting the attempt in
///   `delivery_attempts`; past `poisonAttempts` it is dead-lettered as `poison_message`. The queue's delivery limit is
///   the broker-side backstop.
/// - Graceful shutdown: stop consuming, finish the batch in hand (commit, ack), drain the relay, close.
public final class WorkerService<Handler: WorkerHandler>: Service {
    let settings: WorkerSettings
    let handler: Handler
    let amqp: AMQPConfiguration
    let postgres: PostgresConfiguration
    let health: WorkerHealth
    let metrics: WorkerMetrics
    let logger: Logger
    let contracts: ContractDecoder

    public init(
        settings: WorkerSettings, handler: Handler, amqp: AMQPConfiguration, postgres: PostgresConfiguration,
        health: WorkerHealth, logger: Logger
    ) {
        var settings = settings
        if settings.amqpUser == nil { settings.amqpUser = amqp.username }
        self.settings = settings
        self.handler = handler
        self.amqp = amqp
        self.postgres = postgres
        self.health = health
        self.metrics = WorkerMetrics(worker: settings.name)
        var logger = logger
        logger[metadataKey: "worker.name"] = "\(settings.name)"
        self.logger = logger
        self.contracts = ContractDecoder(maximumBodySize: settings.maximumBodySize)
    }

    public func run() async throws {
        guard
            let publisher = await self.connect(
                "AMQP publisher", { try await AMQPPublisher.connect(configuration: self.amqp, logger: self.logger) }),
            let database = await self.connect(
                "PostgreSQL",
                {
                    try await PostgresConnection.connect(
                        configuration: self.postgres, logger: self.logger,
                        reconnectTimeout: self.settings.databaseReconnectTimeout
                    )
                }),
            let relayDatabase = await self.connect(
                "PostgreSQL (relay)",
                { try await PostgresConnection.connect(configuration: self.postgres, logger: self.logger) }),
            let consumer = await self.connect(
                "AMQP consumer",
                {
                    try await AMQPConsumer.connect(
                        configuration: self.amqp, queue: self.settings.queue, prefetch: self.settings.prefetch,
                        topology: self.settings.topology, logger: self.logger
                    )
                })
        else {
            self.logger.info("shut down before connecting")
            return
        }
        let dependencies = DependencyState()
        self.health.setReadiness(self.settings.name) { consumer.isConsuming && dependencies.isAvailable }
        let relayQueue = RelayQueue(capacity: self.settings.outboxHandoffLimit)
        let marks = SentMarks()
        let relay = OutboxRelay(
            producer: self.settings.name, userID: self.settings.amqpUser,
            sweptProducers: self.settings.sweptProducers ?? [self.settings.name],
            queue: relayQueue, marks: marks, publisher: publisher, connection: relayDatabase,
            metrics: self.metrics, logger: self.logger, sweepInterval: self.settings.outboxSweepInterval
        )
        let processor = BatchProcessor(
            settings: self.settings, handler: self.handler, contracts: self.contracts, consumer: consumer,
            publisher: publisher, database: database, relay: relayQueue, marks: marks, metrics: self.metrics,
            logger: self.logger
        )
        self.logger.info("consuming", metadata: ["amqp.queue": "\(self.settings.queue)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await relay.run() }
            await self.consumeLoop(
                consumer: consumer, processor: processor, database: database, publisher: publisher,
                dependencies: dependencies)
            relayQueue.finish()
            await group.waitForAll()
        }
        self.health.setReadiness(self.settings.name) { false }
        await consumer.close()
        await publisher.close()
        await database.close()
        await relayDatabase.close()
        self.logger.info("stopped cleanly")
    }

    private func consumeLoop(
        consumer: AMQPConsumer, processor: BatchProcessor<Handler>, database: PostgresConnection,
        publisher: AMQPPublisher,
        dependencies: DependencyState
    ) async {
        var failures = 0
        // Deliveries held while a dependency is down, and which one.
        var held: DependencyUnavailable?
        var lastDatabaseContact = ContinuousClock.now
        var databaseRetries = database.retryCount
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            self.health.tick()
            do {
                var deliveries: [AMQPDelivery]
                if let waiting = held {
                    guard await self.waitFor(waiting.dependency, database: database, publisher: publisher) else {
                        break
                    }
                    self.logger.info(
                        "\(waiting.dependency.rawValue) is back; applying the messages held",
                        metadata: ["held.count": "\(waiting.pending.count)"]
                    )
                    held = nil
                    dependencies.set(available: true)
                    self.metrics.held.record(0)
                    lastDatabaseContact = .now
                    deliveries = waiting.pending
                    if deliveries.isEmpty { continue }
                } else {
                    deliveries = try await consumer.receive(max: self.settings.batchSize, timeout: .milliseconds(250))
                    if deliveries.isEmpty {
                        if ContinuousClock.now - lastDatabaseContact >= self.settings.databaseProbeInterval {
                            lastDatabaseContact = .now
                            do {
                                try await database.query("SELECT 1")
                            } catch let error as PostgresError where error.isConnectionLoss {
                                throw DependencyUnavailable(dependency: .database, pending: [], cause: "\(error)")
                            }
                        }
                        continue
                    }
                    // Fill the batch until it is full or `batchWait` after its first message, whichever comes first.
                    let deadline = ContinuousClock.now + self.settings.batchWait
                    while deliveries.count < self.settings.batchSize {
                        let remaining = deadline - ContinuousClock.now
                        guard remaining > .zero else { break }
                        let more = try await consumer.receive(
                            max: self.settings.batchSize - deliveries.count, timeout: remaining)
                        if more.isEmpty { break }
                        deliveries += more
                    }
                    // Counted once when received (held messages are processed again without being delivered again).
                    self.metrics.redeliveries.increment(by: deliveries.count(where: \.redelivered))
                }
                do {
                    try await processor.process(deliveries)
                    lastDatabaseContact = .now
                    failures = 0
                } catch let unavailable as DependencyUnavailable {
                    throw unavailable
                } catch {
                    // Give back whatever the batch had not settled (the client ignores tags already acked), so the
                    // broker redelivers it instead of it sitting unacknowledged on this channel.
                    for delivery in deliveries { try? await consumer.nack(delivery, requeue: true) }
                    throw error
                }
            } catch let unavailable as DependencyUnavailable {
                self.logger.warning(
                    "\(unavailable.dependency.rawValue) unavailable; holding messages unacknowledged until it is back",
                    metadata: ["error": "\(unavailable.cause)", "held.count": "\(unavailable.pending.count)"]
                )
                dependencies.set(available: false)
                self.metrics.dependencyUnavailable(unavailable.dependency.rawValue)
                self.metrics.held.record(unavailable.pending.count)
                held = unavailable
            } catch {
                failures += 1
                let delay = Backoff(initial: .milliseconds(200), maximum: .seconds(5), jitter: .proportional(0.2))
                    .delay(forAttempt: failures - 1)
                self.logger.error("batch failed; its messages will be redelivered", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
            }
            let retries = database.retryCount
            if retries > databaseRetries {
                self.metrics.databaseRetries.increment(by: retries - databaseRetries)
                databaseRetries = retries
            }
        }
        if let held, !held.pending.isEmpty {
            // Shutting down during an outage: closing the channel returns them to the queue.
            self.logger.warning(
                "stopping with messages held; the broker redelivers them",
                metadata: ["held.count": "\(held.pending.count)"])
        }
        await consumer.stopConsuming()
        self.logger.info("stopped consuming")
    }

    /// Probes `dependency` until it answers (true) or shutdown starts (false), ticking liveness all the while: the
    /// loop is alive, only waiting.
    private func waitFor(
        _ dependency: DependencyUnavailable.Dependency, database: PostgresConnection, publisher: AMQPPublisher
    ) async -> Bool {
        var attempt = 0
        // A pause before the first probe: a broker that answers but refuses the message (a full dead-letter queue
        // rejects publishes) would otherwise be retried in a tight loop.
        try? await Task.sleep(for: .milliseconds(500))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            self.health.tick()
            do {
                switch dependency {
                case .database: try await database.query("SELECT 1")
                case .broker: _ = try await publisher.queueStatus(self.settings.queue)
                }
                return true
            } catch {
                attempt += 1
                if attempt % 10 == 1 {
                    self.logger.info(
                        "still waiting for \(dependency.rawValue)",
                        metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                }
            }
            self.health.tick()
            let delay = Backoff(initial: .milliseconds(200), maximum: .seconds(2), jitter: .proportional(0.2))
                .delay(forAttempt: attempt)
            try? await Task.sleep(for: delay)
        }
        return false
    }

    /// Connects with jittered exponential backoff until it works or shutdown starts.
    private func connect<T>(_ what: String, _ body: () async throws -> T) async -> T? {
        var attempt = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                return try await body()
            } catch {
                let delay = Backoff(initial: .milliseconds(200), maximum: .seconds(10), jitter: .proportional(0.2))
                    .delay(forAttempt: attempt)
                self.logger.warning(
                    "cannot connect to \(what); retrying", metadata: ["error": "\(error)", "retry.in": "\(delay)"])
                attempt += 1
                try? await Task.sleep(for: delay)
            }
        }
        return nil
    }
}

/// Whether the worker's dependencies answered at the last attempt: readiness is false while one is out of reach.
final class DependencyState: Sendable {
    private let available = Atomic<Bool>(true)

    var isAvailable: Bool { self.available.load(ordering: .relaxed) }

    func set(available: Bool) { self.available.store(available, ordering: .relaxed) }
}
