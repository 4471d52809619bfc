import Metrics
import Synchronization

/// The runtime's metrics for one worker, created once at start-up. Dimensions are bounded: worker, outcome, reason.
///
/// - `concierge_messages_total{worker,outcome}`: outcome is processed, duplicate, dead_lettered, retried
/// - `concierge_handle_duration_seconds{worker}`: receive → commit, per message
/// - `concierge_batch_size{worker}`: messages per transaction
/// - `concierge_in_flight_messages{worker}`: received and not yet acknowledged
/// - `concierge_redeliveries_total{worker}`
/// - `concierge_dead_lettered_total{worker,reason}`
/// - `concierge_publisher_confirms_total{worker,outcome}`: confirmed, nacked, returned
/// - `concierge_db_retries_total{worker}`: transactions retried after a serialization failure, deadlock or lost connection
/// - `concierge_outbox_backlog_messages{worker}`: unsent outbox rows seen by the last sweep
/// - `concierge_held_messages{worker}`: deliveries held unacknowledged while a dependency is out of reach
/// - `concierge_dependency_unavailable_total{worker,dependency}`: times the worker found the database or the broker
///   out of reach and started holding (dependency: database, broker)
public final class WorkerMetrics: Sendable {
    let worker: String
    let processed: Counter
    let duplicates: Counter
    let deadLetteredTotal: Counter
    let retried: Counter
    let handleDuration: Timer
    let batchSize: Recorder
    let inFlight: Gauge
    let redeliveries: Counter
    let confirmed: Counter
    let nacked: Counter
    let returned: Counter
    let databaseRetries: Counter
    let outboxBacklog: Gauge
    /// Committed outbox rows not handed to the relay in memory (its hand-off queue was full) and left to its sweep.
    let outboxLeftToSweep: Counter
    let held: Gauge
    private let unavailableDatabase: Counter
    private let unavailableBroker: Counter
    private let deadLetterCounters = Mutex<[String: Counter]>([:])

    public init(worker: String) {
        let dimensions = [("worker", worker)]
        func messages(_ outcome: String) -> Counter {
            Counter(label: "concierge_messages_total", dimensions: dimensions + [("outcome", outcome)])
        }
        func confirms(_ outcome: String) -> Counter {
            Counter(label: "concierge_publisher_confirms_total", dimensions: dimensions + [("outcome", outcome)])
        }
        self.worker = worker
        self.processed = messages("processed")
        self.duplicates = messages("duplicate")
        self.deadLetteredTotal = messages("dead_lettered")
        self.retried = messages("retried")
        self.handleDuration = Timer(label: "concierge_handle_duration_seconds", dimensions: dimensions)
        self.batchSize = Recorder(label: "concierge_batch_size", dimensions: dimensions)
        self.inFlight = Gauge(label: "concierge_in_flight_messages", dimensions: dimensions)
        self.redeliveries = Counter(label: "concierge_redeliveries_total", dimensions: dimensions)
        self.confirmed = confirms("confirmed")
        self.nacked = confirms("nacked")
        self.returned = confirms("returned")
        self.databaseRetries = Counter(label: "concierge_db_retries_total", dimensions: dimensions)
        self.outboxBacklog = Gauge(label: "concierge_outbox_backlog_messages", dimensions: dimensions)
        self.outboxLeftToSweep = Counter(label: "concierge_outbox_left_to_sweep_total", dimensions: dimensions)
        self.held = Gauge(label: "concierge_held_messages", dimensions: dimensions)
        self.unavailableDatabase = Counter(
            label: "concierge_dependency_unavailable_total", dimensions: dimensions + [("dependency", "database")])
        self.unavailableBroker = Counter(
            label: "concierge_dependency_unavailable_total", dimensions: dimensions + [("dependency", "broker")])
    }

    /// Dead-letter reasons are a bounded set (contract error codes and handler reasons): one counter per reason,
    /// made the first time the reason is seen.
    func deadLettered(reason: String) {
        let counter = self.deadLetterCounters.withLock { counters in
            if let counter = counters[reason] { return counter }
            let counter = Counter(
                label: "concierge_dead_lettered_total", dimensions: [("worker", self.worker), ("reason", reason)]
            )
            counters[reason] = counter
            return counter
        }
        counter.increment()
        self.deadLetteredTotal.increment()
    }

    func dependencyUnavailable(_ dependency: String) {
        (dependency == "database" ? self.unavailableDatabase : self.unavailableBroker).increment()
    }
}
