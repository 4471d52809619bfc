import ConciergeAMQP
import ConciergePostgres
import Logging

/// Publishes committed outbox rows with publisher confirms and marks them sent.
///
/// Two sources: rows the consume loop just committed (handed over in memory, the fast path), and a periodic sweep
/// of rows whose claim expired (their writer died, or a publish was nacked or returned). Publishing is at least once:
/// a row can be published again if the worker dies between the confirm and `sent_at`; consumers deduplicate by
/// message id in their inbox.
struct OutboxRelay: Sendable {
    let producer: String
    let queue: RelayQueue
    let publisher: AMQPPublisher
    let connection: PostgresConnection
    let metrics: WorkerMetrics
    let logger: Logger
    var sweepInterval: Duration = .milliseconds(500)
    var batchSize = 1000
    var retentionSeconds = 3600

    /// Runs until the queue is finished and drained (and every confirmed row is marked sent).
    ///
    /// Marking rows sent runs beside publishing, not between publishes: the next rows go out while the previous
    /// confirms are written down. A row confirmed but not yet marked when the process dies is published again by a
    /// sweep once its claim expires (consumers deduplicate).
    func run() async {
        let (confirmed, marker) = AsyncStream.makeStream(of: [Int64].self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await ids in confirmed { await self.markSent(ids) }
            }
            let clock = ContinuousClock()
            var nextSweep = clock.now
            var sweeps = 0
            loop: while true {
                let batch = await self.queue.take(max: self.batchSize, timeout: self.sweepInterval)
                switch batch {
                case .finished:
                    break loop
                case .rows(let rows):
                    await self.publish(rows, marker: marker)
                case .timedOut:
                    break
                }
                if clock.now >= nextSweep {
                    nextSweep = clock.now.advanced(by: self.sweepInterval)
                    sweeps += 1
                    await self.sweep(prune: sweeps % 120 == 1, measureBacklog: sweeps % 20 == 1, marker: marker)
                }
            }
            marker.finish()
        }
    }

    private func markSent(_ ids: [Int64]) async {
        do {
            try await OutboxStore.markSent(ids, on: self.connection)
        } catch {
            self.logger.warning(
                "could not mark outbox rows sent; a sweep will publish them again", metadata: ["error": "\(error)", "outbox.count": "\(ids.count)"]
            )
        }
    }

    /// Publishes rows and records the outcome. Never throws: rows that could not be published stay unsent and the
    /// sweep picks them up again once their claim expires.
    func publish(_ rows: [OutboxRow], marker: AsyncStream<[Int64]>.Continuation) async {
        guard !rows.isEmpty else { return }
        let messages = rows.map { row in
            AMQPMessage(
                exchange: row.message.exchange,
                routingKey: row.message.routingKey,
                body: row.message.body,
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: row.message.messageID,
                    type: row.message.schema, appId: self.producer
                ),
                mandatory: row.message.mandatory
            )
        }
        do {
            let outcomes = try await self.publisher.publish(messages)
            var sent: [Int64] = []
            var nacked: [Int64] = []
            var returned: [Int64] = []
            for (row, outcome) in zip(rows, outcomes) {
                switch outcome {
                case .confirmed: sent.append(row.id)
                case .nacked: nacked.append(row.id)
                case .returned: returned.append(row.id)
                }
            }
            self.metrics.confirmed.increment(by: sent.count)
            self.metrics.nacked.increment(by: nacked.count)
            self.metrics.returned.increment(by: returned.count)
            if !sent.isEmpty { marker.yield(sent) }
            if !nacked.isEmpty {
                self.logger.warning("broker nacked outbox messages; will retry", metadata: ["outbox.count": "\(nacked.count)"])
                try await OutboxStore.markFailed(nacked, error: "nacked", retryAfterSeconds: 5, on: self.connection)
            }
            if !returned.isEmpty {
                self.logger.error(
                    "outbox messages are unroutable (no queue bound); kept in the outbox",
                    metadata: ["outbox.count": "\(returned.count)", "amqp.exchange": "\(rows[0].message.exchange)"]
                )
                try await OutboxStore.markFailed(returned, error: "unroutable", retryAfterSeconds: 60, on: self.connection)
            }
        } catch {
            self.logger.warning("outbox publish failed; rows stay unsent", metadata: ["error": "\(error)"])
        }
    }

    /// `measureBacklog`: also count the unsent rows older than a few seconds for the backlog gauge (a scan of the
    /// unsent rows, so not on every sweep).
    func sweep(prune: Bool, measureBacklog: Bool, marker: AsyncStream<[Int64]>.Continuation) async {
        do {
            while true {
                let rows = try await OutboxStore.claimStale(limit: self.batchSize, producer: self.producer, on: self.connection)
                if rows.isEmpty { break }
                self.logger.info("relaying stale outbox rows", metadata: ["outbox.count": "\(rows.count)"])
                await self.publish(rows, marker: marker)
                if rows.count < self.batchSize { break }
            }
            if measureBacklog { self.metrics.outboxBacklog.record(try await OutboxStore.backlog(on: self.connection)) }
            if prune { try await OutboxStore.prune(retentionSeconds: self.retentionSeconds, on: self.connection) }
        } catch {
            self.logger.warning("outbox sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
