import ConciergeCore
public import Metrics

/// - `concierge_responder_outcomes_total{outcome}`: `answer`, `clarification`, `handoff`. The AI resolution rate is
///   answers / (answers + handoffs).
/// - `concierge_responder_handoffs_total{reason}`: by `HandoffReason`
/// - `concierge_responder_answer_duration_seconds`: time the built-in responder spends on one inquiry (facts already
///   loaded)
/// - `concierge_responder_reply_latency_seconds`: from the inquiry's `sent_at` to its reply or handoff being written
public final class ResponderMetrics: Sendable {
    /// `concierge_responder_outcomes_total{outcome}`.
    enum Outcome: String, CaseIterable {
        case answer, clarification, handoff
    }

    private let outcomes: [Outcome: Counter]
    private let handoffs: [HandoffReason: Counter]
    private let answerDuration: Timer
    private let replyLatency: Timer

    /// `factory`: where the metrics go; the process's bootstrapped backend unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        var outcomes: [Outcome: Counter] = [:]
        for outcome in Outcome.allCases {
            outcomes[outcome] = Counter(
                label: "concierge_responder_outcomes_total", dimensions: [("outcome", outcome.rawValue)],
                factory: factory)
        }
        self.outcomes = outcomes
        var handoffs: [HandoffReason: Counter] = [:]
        for reason in HandoffReason.allCases {
            handoffs[reason] = Counter(
                label: "concierge_responder_handoffs_total", dimensions: [("reason", reason.rawValue)], factory: factory
            )
        }
        self.handoffs = handoffs
        self.answerDuration = Timer(
            label: "concierge_responder_answer_duration_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.replyLatency = Timer(
            label: "concierge_responder_reply_latency_seconds", preferredDisplayUnit: .seconds, factory: factory)
    }

    func record(_ outcome: ResponderOutcome, answerNanoseconds: Int64, latencySeconds: Double?) {
        switch outcome {
        case .reply(let reply):
            self.outcomes[reply.kind == Outcome.clarification.rawValue ? .clarification : .answer]?.increment()
        case .handoff(let handoff):
            self.outcomes[.handoff]?.increment()
            self.handoffs[handoff.reason]?.increment()
        }
        self.answerDuration.recordNanoseconds(answerNanoseconds)
        if let latencySeconds, latencySeconds >= 0, latencySeconds < 86_400 {
            self.replyLatency.recordNanoseconds(Int64(latencySeconds * 1e9))
        }
    }
}
