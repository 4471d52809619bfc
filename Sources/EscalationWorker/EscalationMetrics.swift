import ConciergeCore
import ConciergePostgres
public import Metrics

/// The escalation worker's metrics, created once (bounded dimensions: class, outcome; never ids).
///
/// - `concierge_escalations_total{class}`, `concierge_escalation_reopened_total`,
///   `concierge_escalation_resolved_total{outcome}`
/// - `concierge_escalation_waiting{class}`: the waiting line (waiting or on offer) by class, from the dispatcher
/// - `concierge_escalation_offers_total{outcome}`: offered, accepted, declined, expired, withdrawn, late
/// - `concierge_escalation_time_to_offer_seconds`, `…_time_to_accept_seconds`, `…_time_to_assignment_seconds`
/// - `concierge_escalation_sla_breaches_total{class}`
/// - `concierge_escalation_surge_bp`: the highest surge multiplier across the dispatched markets, basis points
/// - `concierge_escalation_agents_online`, `concierge_escalation_agent_utilisation_ratio` (active conversations over
///   capacity of online agents)
/// - `concierge_escalation_oldest_waiting_seconds{class}`: age of the longest-waiting conversation in the line
/// - `concierge_escalation_reoffers_total` (a new round after everyone declined or let it expire),
///   `concierge_escalation_fallbacks_total` (offers to staff agents), `concierge_escalation_reassignments_total{reason}`
///   (`presence_lost`, `no_reply`, `transferred`, `handed_back`), `concierge_escalation_nudges_total`,
///   `concierge_escalation_waiting_notices_total`
/// - `concierge_escalation_time_to_first_agent_message_seconds`: from assignment to the agent's first message
///
/// One instance per process, made by `EscalationWorker.services` and handed to the handlers and the dispatcher.
public final class EscalationMetrics: Sendable {
    /// What became of an offer (`concierge_escalation_offers_total{outcome}`).
    enum OfferOutcome: String, CaseIterable {
        case offered, accepted, declined, expired, withdrawn, late
    }

    /// Why a conversation went back to the line (`concierge_escalation_reassignments_total{reason}`).
    enum Reassignment: String, CaseIterable {
        case presenceLost = "presence_lost"
        case noReply = "no_reply"
        case transferred
        case handedBack = "handed_back"
    }

    let escalations: [ServiceClass: Counter]
    let waiting: [ServiceClass: Gauge]
    let breaches: [ServiceClass: Counter]
    let offers: [OfferOutcome: Counter]
    let resolved: [AgentEvent.Outcome: Counter]
    let reopened: Counter
    let timeToOffer: Timer
    let timeToAccept: Timer
    let timeToAssignment: Timer
    let surge: Gauge
    let agentsOnline: Gauge
    let utilisation: Gauge
    let oldestWaiting: [ServiceClass: Gauge]
    let reoffers: Counter
    let fallbacks: Counter
    let nudges: Counter
    let waitingNotices: Counter
    let reassignments: [Reassignment: Counter]
    let timeToFirstAgentMessage: Timer
    /// `factory`: where the metrics go; the process's bootstrapped backend unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.reopened = Counter(label: "concierge_escalation_reopened_total", factory: factory)
        self.timeToOffer = Timer(
            label: "concierge_escalation_time_to_offer_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.timeToAccept = Timer(
            label: "concierge_escalation_time_to_accept_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.timeToAssignment = Timer(
            label: "concierge_escalation_time_to_assignment_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.surge = Gauge(label: "concierge_escalation_surge_bp", factory: factory)
        self.agentsOnline = Gauge(label: "concierge_escalation_agents_online", factory: factory)
        self.utilisation = Gauge(label: "concierge_escalation_agent_utilisation_ratio", factory: factory)
        self.reoffers = Counter(label: "concierge_escalation_reoffers_total", factory: factory)
        self.fallbacks = Counter(label: "concierge_escalation_fallbacks_total", factory: factory)
        self.nudges = Counter(label: "concierge_escalation_nudges_total", factory: factory)
        self.waitingNotices = Counter(label: "concierge_escalation_waiting_notices_total", factory: factory)
        self.timeToFirstAgentMessage = Timer(
            label: "concierge_escalation_time_to_first_agent_message_seconds", preferredDisplayUnit: .seconds,
            factory: factory)
        func perClass<M>(_ make: (String) -> M) -> [ServiceClass: M] {
            Dictionary(uniqueKeysWithValues: ServiceClass.allCases.map { ($0, make($0.rawValue)) })
        }
        self.escalations = perClass {
            Counter(label: "concierge_escalations_total", dimensions: [("class", $0)], factory: factory)
        }
        self.waiting = perClass {
            Gauge(label: "concierge_escalation_waiting", dimensions: [("class", $0)], factory: factory)
        }
        self.oldestWaiting = perClass {
            Gauge(label: "concierge_escalation_oldest_waiting_seconds", dimensions: [("class", $0)], factory: factory)
        }
        self.reassignments = Dictionary(
            uniqueKeysWithValues: Reassignment.allCases.map {
                (
                    $0,
                    Counter(
                        label: "concierge_escalation_reassignments_total", dimensions: [("reason", $0.rawValue)],
                        factory: factory)
                )
            }
        )
        self.breaches = perClass {
            Counter(label: "concierge_escalation_sla_breaches_total", dimensions: [("class", $0)], factory: factory)
        }
        self.offers = Dictionary(
            uniqueKeysWithValues: OfferOutcome.allCases.map {
                (
                    $0,
                    Counter(
                        label: "concierge_escalation_offers_total", dimensions: [("outcome", $0.rawValue)],
                        factory: factory)
                )
            }
        )
        self.resolved = Dictionary(
            uniqueKeysWithValues: [AgentEvent.Outcome.resolved, .unresolved].map {
                (
                    $0,
                    Counter(
                        label: "concierge_escalation_resolved_total", dimensions: [("outcome", $0.rawValue)],
                        factory: factory)
                )
            }
        )
    }

    /// Records once `transaction` has committed: handlers and dispatcher steps may run again (a failed batch is
    /// re-applied message by message, a transaction is retried after a serialization failure), and a count must go
    /// up once for what was committed. Evaluate values before the call; the closure runs later.
    func after(_ transaction: PostgresTransaction, _ record: @escaping (EscalationMetrics) -> Void) {
        transaction.afterCommit { record(self) }
    }

    func offer(_ outcome: OfferOutcome, count: Int = 1) {
        if count > 0 { self.offers[outcome]?.increment(by: count) }
    }

    func reassigned(_ reason: Reassignment, count: Int = 1) {
        if count > 0 { self.reassignments[reason]?.increment(by: count) }
    }

    static func nanoseconds(_ seconds: Double) -> Int64 {
        Int64(max(0, seconds) * 1_000_000_000)
    }
}
