import ConciergeAMQP
import ConciergePostgres
import Logging
import Metrics

/// Publishes committed outbox rows with publisher confirms and marks them sent.
///
/// Two sources: rows the consume loop just committed (handed over in memory, the fast path), and a periodic sweep
/// of rows whose claim expired (their writer died, or a publish was nacked or returned). Publishing is at least once:
/// a row can be published again if the worker dies between the confirm and `sent_at`; consumers deduplicate by
/// message id in their inbox.
struct OutboxRelay: Sendable {
    let producer: String
    /// The `user_id` stamped on every message (the worker's AMQP user; the broker checks it), so consumers know who
    /// published.
    let userID: String?
    /// Whose stale rows the sweep takes; see `WorkerSettings.sweptProducers`.
    let sweptProducers: [String]
    let queue: RelayQueue
    /// Confirmed rows waiting to be marked sent (by the next batch transaction, or by the relay when none comes).
    let marks: SentMarks
    let publisher: AMQPPublisher
    let connection: PostgresConnection
    let metrics: WorkerMetrics
    let logger: Logger
    var sweepInterval: Duration = .milliseconds(500)
    /// How often the backlog gauge is measured, on a task of its own: a publish the broker holds up (a blocked
    /// connection waits for its confirms up to the operation timeout) must not freeze the gauge that shows it.
    var backlogInterval: Duration = .seconds(5)
    var batchSize = 1000
    var retentionSeconds = 3600
    /// How long confirmed rows wait for a batch transaction to mark them before the relay marks them itself.
    var markDelay: Duration = .milliseconds(100)

    /// Runs until the queue is finished and drained (and every confirmed row is marked sent).
    ///
    /// Confirmed rows are marked sent by the consume loop's next batch transaction; rows left waiting longer than
    /// `markDelay` (no batch came) are marked here, beside publishing. A row confirmed but not yet marked when the
    /// process dies is published again by a sweep once its claim expires (consumers deduplicate).
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.markDelay)
                    let ids = self.marks.take(olderThan: self.markDelay)
                    if !ids.isEmpty { await self.markSent(ids) }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    await self.measureBacklog()
                    try? await Task.sleep(for: self.backlogInterval)
                }
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
                    await self.publish(rows)
                case .timedOut:
                    break
                }
                if clock.now >= nextSweep {
                    nextSweep = clock.now.advanced(by: self.sweepInterval)
                    sweeps += 1
                    await self.sweep(prune: sweeps % 120 == 1)
                }
            }
            group.cancelAll()
        }
        // The last confirms: no batch transaction comes for them any more.
        let ids = self.marks.take()
        if !ids.isEmpty { await self.markSent(ids) }
    }

    private func markSent(_ ids: [Int64]) async {
        do {
            try await OutboxStore.markSent(ids, on: self.connection)
        } catch is CancellationError {
            // Shutting down: `run` marks what is left once publishing has finished.
            self.marks.putBack(ids)
        } catch {
            self.logger.warning(
                "could not mark outbox rows sent; a sweep will publish them again",
                metadata: ["error": "\(error)", "outbox.count": "\(ids.count)"]
            )
        }
    }

    /// Publishes rows and records the outcome. Never throws: rows that could not be published stay unsent and the
    /// sweep picks them up again once their claim expires. Returns false when the broker did not answer (the publish
    /// failed or timed out), true when it confirmed, nacked or returned each row.
    @discardableResult
    func publish(_ rows: [OutboxRow]) async -> Bool {
        guard !rows.isEmpty else { return true }
        let messages = rows.map { row in
            AMQPMessage(
                exchange: row.message.exchange,
                routingKey: row.message.routingKey,
                body: row.message.body,
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: row.message.messageID,
                    type: row.message.schema, appId: self.producer, userId: self.userID
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
            FaultHooks.current.crash(
                if: FaultHooks.current.crashAfterConfirm,
                among: rows.lazy.filter { sent.contains($0.id) }.map(\.message.messageID))
            self.metrics.confirmed.increment(by: sent.count)
            self.metrics.nacked.increment(by: nacked.count)
            self.metrics.returned.increment(by: returned.count)
            self.marks.add(sent)
            if !nacked.isEmpty {
                self.logger.warning(
                    "broker nacked outbox messages; will retry", metadata: ["outbox.count": "\(nacked.count)"])
                try await OutboxStore.markFailed(nacked, error: "nacked", retryAfterSeconds: 5, on: self.connection)
            }
            if !returned.isEmpty {
                self.logger.error(
                    "outbox messages are unroutable (no queue bound); kept in the outbox",
                    metadata: ["outbox.count": "\(returned.count)", "amqp.exchange": "\(rows[0].message.exchange)"]
                )
                try await OutboxStore.markFailed(
                    returned, error: "unroutable", retryAfterSeconds: 60, on: self.connection)
            }
            return true
        } catch {
            self.logger.warning("outbox publish failed; rows stay unsent", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Claims and publishes stale rows a batch at a time while the broker takes them. After a publish the broker did
    /// not answer it stops: the next sweep tries one batch again, so against a dead or blocked broker a sweep costs
    /// one claim of at most `batchSize` rows (through the `outbox_claimable_by_producer` index) whatever the backlog.
    func sweep(prune: Bool) async {
        do {
            while true {
                let claimed = try await OutboxStore.claimStale(
                    limit: self.batchSize, producers: self.sweptProducers, on: self.connection)
                if claimed.isEmpty { break }
                // Rows the broker confirmed that are not marked sent yet (a publish it held up past their claim): not
                // stale, only waiting for their mark.
                let waiting = self.marks.waiting()
                let rows = waiting.isEmpty ? claimed : claimed.filter { !waiting.contains($0.id) }
                if !rows.isEmpty {
                    self.logger.info("relaying stale outbox rows", metadata: ["outbox.count": "\(rows.count)"])
                    guard await self.publish(rows) else { break }
                }
                if claimed.count < self.batchSize { break }
            }
            if prune { try await OutboxStore.prune(retentionSeconds: self.retentionSeconds, on: self.connection) }
        } catch {
            self.logger.warning("outbox sweep failed", metadata: ["error": "\(error)"])
        }
    }

    /// Counts the unsent rows older than a few seconds for the backlog gauge (a scan of the unsent rows, so every
    /// `backlogInterval`, not on every sweep).
    func measureBacklog() async {
        do {
            self.metrics.outboxBacklog.record(
                try await OutboxStore.backlog(producers: self.sweptProducers, on: self.connection))
        } catch is CancellationError {
        } catch {
            self.logger.warning("could not measure the outbox backlog", metadata: ["error": "\(error)"])
        }
    }
}
