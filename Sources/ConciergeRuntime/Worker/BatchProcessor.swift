import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeSupport
import Foundation
import Logging
import Metrics
import Synchronization

/// Applies one received batch: see `WorkerService` for the rules.
struct BatchProcessor<Handler: WorkerHandler>: Sendable {
    let settings: WorkerSettings
    let handler: Handler
    let contracts: ContractDecoder
    let consumer: AMQPConsumer
    let publisher: AMQPPublisher
    let database: PostgresConnection
    let relay: RelayQueue
    let marks: SentMarks
    let metrics: WorkerMetrics
    let logger: Logger

    struct Item: Sendable {
        var delivery: AMQPDelivery
        var message: InboundMessage
        var input: Handler.Input
    }

    /// What becomes of a message that could not be applied.
    enum Disposal: Sendable {
        case deadLetter(reason: DeadLetterReason, detail: String)
        case retry
    }

    /// Settles every delivery (applied and acked, dead-lettered, or parked in a retry tier), or throws
    /// `DependencyUnavailable` listing the deliveries it could not settle because the database or the broker is down:
    /// those are still held, unacknowledged, and go through `process` again once it is back.
    func process(_ deliveries: [AMQPDelivery]) async throws {
        let started = ContinuousClock.now
        self.metrics.inFlight.record(deliveries.count)
        defer { self.metrics.inFlight.record(0) }

        var items: [Item] = []
        var redelivered: [Item] = []
        var rejected: [(AMQPDelivery, Disposal)] = []
        for delivery in deliveries {
            switch self.decode(delivery) {
            case .success(let item):
                if delivery.redelivered { redelivered.append(item) } else { items.append(item) }
            case .failure(let error):
                rejected.append((delivery, .deadLetter(reason: DeadLetterReason(error.code), detail: error.detail)))
            }
        }
        do {
            if !rejected.isEmpty { try await self.dispose(rejected) }
        } catch var unavailable as DependencyUnavailable {
            unavailable.pending += (items + redelivered).map(\.delivery)
            throw unavailable
        }
        do {
            if !items.isEmpty { try await self.apply(items, started: started) }
        } catch var unavailable as DependencyUnavailable {
            unavailable.pending += redelivered.map(\.delivery)
            throw unavailable
        }
        for (index, item) in redelivered.enumerated() {
            do {
                try await self.applyRedelivered(item, started: started)
            } catch var unavailable as DependencyUnavailable {
                unavailable.pending += redelivered[(index + 1)...].map(\.delivery)
                throw unavailable
            }
        }
    }

    private func decode(_ delivery: AMQPDelivery) -> Result<Item, ContractError> {
        do throws(ContractError) {
            guard delivery.body.count <= self.contracts.maximumBodySize else {
                throw ContractError(
                    .oversized, detail: "body of \(delivery.body.count) bytes exceeds \(self.contracts.maximumBodySize)"
                )
            }
            let messageID: String
            if let property = delivery.properties.messageId {
                messageID = property
            } else {
                messageID = try Self.bodyMessageID(delivery.body)
            }
            try ContractRules.identifier(messageID, field: "message_id")
            let message = InboundMessage(
                messageID: messageID, routingKey: delivery.routingKey, body: delivery.body,
                headers: delivery.properties.headers, redelivered: delivery.redelivered,
                userID: self.producer(of: delivery)
            )
            if let accepted = self.settings.acceptedProducers {
                guard let producer = message.userID, accepted.contains(producer) else {
                    throw ContractError(
                        .untrustedSender,
                        detail:
                            "published by AMQP user '\(message.userID.map { String($0.prefix(64)) } ?? "none")'; \(self.settings.queue) accepts \(accepted.sorted().joined(separator: ", "))"
                    )
                }
            }
            let input = try self.handler.decode(message)
            // After the contract's own checks, so a body that is wrong in several ways gets the contract's reason.
            if StorableText.containsNUL(json: delivery.body) {
                throw ContractError(
                    .unstorableText,
                    detail: "a string holds a NUL character (\\u0000), which PostgreSQL text cannot store"
                )
            }
            return .success(Item(delivery: delivery, message: message, input: input))
        } catch {
            return .failure(error)
        }
    }

    /// The delivery's first publisher (see `WorkerSettings.producer(of:)`).
    func producer(of delivery: AMQPDelivery) -> String? {
        self.settings.producer(of: delivery.properties)
    }

    private static func bodyMessageID(_ body: [UInt8]) throws(ContractError) -> String {
        let header: MessageIDHeader
        do {
            header = try JSONDecoder().decode(MessageIDHeader.self, from: Data(body))
        } catch {
            throw ContractError(.malformedJSON, detail: "not valid JSON")
        }
        guard let id = header.message_id else {
            throw ContractError(.missingMessageID, detail: "no message_id property and no message_id field")
        }
        return id
    }

    // MARK: Applying

    /// Runs the handler's `prepare` step, then applies the items in one transaction. When that fails for a reason of
    /// the messages' own (a handler's refusal, data PostgreSQL cannot store, a transient error), the batch is split in
    /// halves and each half applied again (with the inputs already prepared), down to single messages, so one bad
    /// message among 500 costs about 2·log2(500) ≈ 18 transactions instead of 500. A database that is out of reach
    /// is nobody's fault: the items are handed back as `DependencyUnavailable` without touching their retry budget.
    private func apply(_ items: [Item], started: ContinuousClock.Instant, prepared: Bool = false) async throws {
        let items = prepared ? items : await self.prepare(items)
        do {
            try await self.applyTogether(items, started: started)
        } catch let error as PostgresError where error.isConnectionLoss {
            throw DependencyUnavailable(dependency: .database, pending: items.map(\.delivery), cause: "\(error)")
        } catch let error as AckFailed {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch  where items.count > 1 {
            self.logger.info(
                "batch failed; applying it in halves", metadata: ["error": "\(error)", "batch.size": "\(items.count)"])
            let middle = items.count / 2
            let halves = [Array(items[..<middle]), Array(items[middle...])]
            for (index, half) in halves.enumerated() {
                do {
                    try await self.apply(half, started: started, prepared: true)
                } catch var unavailable as DependencyUnavailable {
                    if index == 0 { unavailable.pending += halves[1].map(\.delivery) }
                    throw unavailable
                }
            }
        } catch let error as HandlerError {
            self.logger.warning(
                "handler rejected message",
                metadata: ["message.id": "\(items[0].message.messageID)", "error": "\(error)"])
            try await self.dispose([
                (items[0].delivery, .deadLetter(reason: DeadLetterReason(error.code), detail: error.detail))
            ])
        } catch let error as PostgresError where error.isInvalidData {
            // Text with a NUL or invalid encoding, a value out of its column's range: retrying cannot help.
            self.logger.warning(
                "message holds data the database cannot store",
                metadata: ["message.id": "\(items[0].message.messageID)", "error": "\(error)"])
            let detail =
                "the database refused its data: SQLSTATE \(error.sqlState ?? "none") (\(error.code)) in \(error.operation)"
            try await self.dispose([(items[0].delivery, .deadLetter(reason: .unstorableData, detail: detail))])
        } catch {
            self.logger.warning(
                "message failed; retrying later",
                metadata: ["message.id": "\(items[0].message.messageID)", "error": "\(error)"])
            try await self.dispose([(items[0].delivery, .retry)])
        }
    }

    /// The items with the inputs the handler's `prepare` returned (unchanged when it returned another count).
    private func prepare(_ items: [Item]) async -> [Item] {
        let enriched = await self.handler.prepare(
            items.map { Accepted(message: $0.message, input: $0.input) }, database: self.database)
        guard enriched.count == items.count else {
            self.logger.error("prepare returned \(enriched.count) inputs for \(items.count) messages; ignoring it")
            return items
        }
        return zip(items, enriched).map { item, accepted in
            var item = item
            item.input = accepted.input
            return item
        }
    }

    private func applyTogether(_ items: [Item], started: ContinuousClock.Instant) async throws {
        // Outbox rows the broker has confirmed since the last batch are marked sent in this batch's transaction.
        let sent = self.marks.take()
        let result: (applied: Int, rows: [OutboxRow])
        do {
            result = try await self.commit(items, markingSent: sent)
        } catch {
            self.marks.putBack(sent)
            throw error
        }
        FaultHooks.current.crash(if: FaultHooks.current.crashAfterCommit, among: items.lazy.map(\.message.messageID))
        let leftOut = self.relay.enqueue(result.rows)
        if leftOut > 0 {
            // The relay is behind (a blocked or absent broker): committed rows wait in the outbox for its sweep.
            self.metrics.outboxLeftToSweep.increment(by: leftOut)
        }
        do {
            try await self.consumer.ack(items.map(\.delivery))
        } catch {
            // Committed: the broker redelivers them and the inbox skips them. Nothing to apply again here.
            throw AckFailed(cause: "\(error)")
        }
        let elapsed = ContinuousClock.now - started
        self.metrics.processed.increment(by: result.applied)
        self.metrics.duplicates.increment(by: items.count - result.applied)
        self.metrics.batchSize.record(items.count)
        for _ in 0..<items.count { self.metrics.handleDuration.recordNanoseconds(elapsed.inNanoseconds) }
    }

    /// The batch's transaction, in three round trips: BEGIN with the inbox insert (which messages are new), the
    /// handler's reads, then its writes, the outbox insert and the sent marks with COMMIT. Returns how many messages
    /// were new and the outbox rows to publish.
    private func commit(_ items: [Item], markingSent sent: [Int64]) async throws -> (applied: Int, rows: [OutboxRow]) {
        let handler = self.handler
        let name = self.settings.name
        let ids = items.map(\.message.messageID)
        let inserted = InsertedRows()
        let applied = try await self.database.transaction { transaction -> Int in
            let fresh = try Set(
                transaction.query(
                    "INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING message_id",
                    [name, ids]
                ).map { try $0.decode(String.self, named: "message_id") }
            )
            var seen = Set<String>()
            let accepted = items.compactMap { item -> Accepted<Handler.Input>? in
                guard fresh.contains(item.message.messageID), seen.insert(item.message.messageID).inserted else {
                    return nil
                }
                return Accepted(message: item.message, input: item.input)
            }
            let outgoing = accepted.isEmpty ? [] : try handler.apply(accepted, in: transaction)
            inserted.rows.withLock { $0 = [] }
            OutboxStore.insert(outgoing, producer: name, in: transaction) { rows in
                inserted.rows.withLock { $0 = rows }
            }
            OutboxStore.markSent(sent, in: transaction)
            return accepted.count
        }
        return (applied, inserted.rows.withLock { $0 })
    }

    /// A message that came back after a worker died holding it: count the attempt, then apply it alone.
    private func applyRedelivered(_ item: Item, started: ContinuousClock.Instant) async throws {
        let name = self.settings.name
        let id = item.message.messageID
        let attempts: Int
        do {
            attempts = try await self.database.transaction { transaction in
                let applied = try transaction.query(
                    "SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2", [name, id])
                if !applied.isEmpty { return 0 }
                return try transaction.query(
                    """
                    INSERT INTO delivery_attempts (consumer, message_id, attempts) VALUES ($1, $2, 1)
                    ON CONFLICT (consumer, message_id)
                    DO UPDATE SET attempts = delivery_attempts.attempts + 1, last_attempt_at = now()
                    RETURNING attempts
                    """,
                    [name, id]
                ).single().decode(Int.self, named: "attempts")
            }
        } catch let error as PostgresError where error.isConnectionLoss {
            throw DependencyUnavailable(dependency: .database, pending: [item.delivery], cause: "\(error)")
        }
        if attempts > self.settings.poisonAttempts {
            self.logger.error(
                "poison message: dead-lettering", metadata: ["message.id": "\(id)", "attempts": "\(attempts)"])
            try await self.dispose([
                (item.delivery, .deadLetter(reason: .poisonMessage, detail: "interrupted \(attempts - 1) workers"))
            ])
            return
        }
        try await self.apply([item], started: started)
    }

    // MARK: Dead-lettering and retries

    /// Publishes each message to the dead-letter exchange or its next retry tier, waits for the confirms, then acks
    /// the originals. A message whose publish was not confirmed is not acked (the broker redelivers it).
    private func dispose(_ messages: [(AMQPDelivery, Disposal)]) async throws {
        var outgoing: [AMQPMessage] = []
        // Per message: why it was dead-lettered, nil when it went to a retry tier.
        var reasons: [DeadLetterReason?] = []
        for (delivery, disposal) in messages {
            var properties = delivery.properties
            properties.headers[FleetNames.Headers.queue] = .string(self.settings.queue)
            properties.headers[FleetNames.Headers.worker] = .string(self.settings.name)
            // Re-published under this worker's own user (the broker refuses another `user_id`), remembering who
            // published it first.
            properties.headers[FleetNames.Headers.producer] = .string(self.producer(of: delivery) ?? "")
            properties.userId = self.settings.amqpUser
            properties.persistent = true
            switch disposal {
            case .deadLetter(let reason, let detail):
                properties.headers[FleetNames.Headers.reason] = .string(reason.rawValue)
                properties.headers[FleetNames.Headers.detail] = .string(String(detail.prefix(512)))
                outgoing.append(
                    AMQPMessage(
                        exchange: self.settings.deadLetterExchange, routingKey: self.settings.queue,
                        body: delivery.body, properties: properties))
                reasons.append(reason)
            case .retry:
                let retries = Self.retries(in: delivery.properties.headers)
                switch self.settings.retryTiers.decide(previousRetries: retries) {
                case .retry(let tier):
                    properties.headers[FleetNames.Headers.retries] = .int(Int64(retries + 1))
                    outgoing.append(
                        AMQPMessage(
                            exchange: self.settings.retryTiers.queueName(tier: tier), routingKey: self.settings.queue,
                            body: delivery.body, properties: properties
                        )
                    )
                    reasons.append(nil)
                case .deadLetter:
                    properties.headers[FleetNames.Headers.reason] = .string(DeadLetterReason.retriesExhausted.rawValue)
                    properties.headers[FleetNames.Headers.detail] = .string("failed after \(retries) retries")
                    outgoing.append(
                        AMQPMessage(
                            exchange: self.settings.deadLetterExchange, routingKey: self.settings.queue,
                            body: delivery.body, properties: properties))
                    reasons.append(.retriesExhausted)
                }
            }
        }
        let outcomes: [AMQPPublishOutcome]
        do {
            outcomes = try await self.publisher.publish(outgoing)
        } catch {
            // The broker cannot take them now: keep holding them (a nack would spend their delivery budget).
            throw DependencyUnavailable(dependency: .broker, pending: messages.map(\.0), cause: "\(error)")
        }
        var acked: [AMQPDelivery] = []
        var unparked: [AMQPDelivery] = []
        for ((delivery, _), (outcome, reason)) in zip(messages, zip(outcomes, reasons)) {
            guard outcome == .confirmed else {
                self.logger.error(
                    "could not park message; holding it until the broker takes it", metadata: ["outcome": "\(outcome)"])
                unparked.append(delivery)
                continue
            }
            if let reason {
                self.metrics.deadLettered(reason: reason.rawValue)
                self.logger.warning("dead-lettered message", metadata: ["dead_letter.reason": "\(reason)"])
            } else {
                self.metrics.retried.increment()
            }
            acked.append(delivery)
        }
        try? await self.consumer.ack(acked)  // a failed ack: the broker redelivers them, and they are parked again
        if !unparked.isEmpty {
            throw DependencyUnavailable(dependency: .broker, pending: unparked, cause: "publish not confirmed")
        }
    }

    private static func retries(in headers: [String: AMQPFieldValue]) -> Int {
        switch headers[FleetNames.Headers.retries] {
        case .int(let value): Int(value)
        default: 0
        }
    }
}

/// Deliveries that could not be settled because a dependency is out of reach: not their fault, so they are neither
/// retried nor dead-lettered, but held unacknowledged until it is back (see `WorkerService`).
struct DependencyUnavailable: Error, CustomStringConvertible {
    enum Dependency: String, Sendable {
        case database
        case broker
    }

    var dependency: Dependency
    var pending: [AMQPDelivery]
    /// Safe to log (an error's `description`).
    var cause: String

    var description: String { "\(self.dependency.rawValue) unavailable (\(self.pending.count) held): \(self.cause)" }
}

/// Acknowledging committed messages failed (the consumer's connection is gone): the broker redelivers them.
struct AckFailed: Error, CustomStringConvertible {
    var cause: String
    var description: String { "ack failed: \(self.cause)" }
}

/// The outbox rows of a batch, handed over by the outbox insert when its result arrives with the `COMMIT`.
private final class InsertedRows: Sendable {
    let rows = Mutex<[OutboxRow]>([])
}

/// The one field of a body the runtime reads itself, when the AMQP `message_id` property is absent.
private struct MessageIDHeader: Decodable {
    var message_id: String?
}
