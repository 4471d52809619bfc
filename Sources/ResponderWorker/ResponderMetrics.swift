import ConciergeCore
import Metrics

/// - `concierge_responder_outcomes_total{outcome}`: `answer`, `clarification`, `handoff`. The AI resolution rate is
///   answers / (answers + handoffs).
/// - `concierge_responder_handoffs_total{reason}`: by `HandoffReason`
/// - `concierge_responder_answer_duration_seconds`: time the built-in responder spends on one inquiry (facts already
///   loaded)
/// - `concierge_responder_reply_latency_seconds`: from the inquiry's `sent_at` to its reply or handoff being written
final class ResponderMetrics: Sendable {
    private let outcomes: [String: Counter] = Dictionary(
        uniqueKeysWithValues: ["answer", "clarification", "handoff"].map {
            ($0, Counter(label: "concierge_responder_outcomes_total", dimensions: [("outcome", $0)]))
        }
    )
    private let handoffs: [HandoffReason: Counter] = Dictionary(
        uniqueKeysWithValues: HandoffReason.allCases.map {
            ($0, Counter(label: "concierge_responder_handoffs_total", dimensions: [("reason", $0.rawValue)]))
        }
    )
    private let answerDuration = Timer(label: "concierge_responder_answer_duration_seconds", dimensions: [], preferredDisplayUnit: .seconds)
    private let replyLatency = Timer(label: "concierge_responder_reply_latency_seconds", dimensions: [], preferredDisplayUnit: .seconds)

    func record(_ outcome: ResponderOutcome, answerNanoseconds: Int64, latencySeconds: Double?) {
        switch outcome {
        case .reply(let reply): self.outcomes[reply.kind]?.increment()
        case .handoff(let handoff):
            self.outcomes["handoff"]?.increment()
            self.handoffs[handoff.reason]?.increment()
        }
        self.answerDuration.recordNanoseconds(answerNanoseconds)
        if let latencySeconds, latencySeconds >= 0, latencySeconds < 86_400 {
            self.replyLatency.recordNanoseconds(Int64(latencySeconds * 1e9))
        }
    }
}
