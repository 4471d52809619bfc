import Metrics

/// `concierge_responder_llm_total{outcome}`, per answer the LLM was asked to phrase:
/// - `used`: the LLM text reached the customer (backend `llm`);
/// - `rejected_invented`: it stated an amount, date or reference not in the facts or the built-in answer;
/// - `failed`: no usable response (timeout, connection, HTTP error after the retries, malformed body);
/// - `stale`: accepted, but the facts changed before the reply was written, so the built-in answer went out.
final class LLMMetrics: Sendable {
    enum Outcome: String, CaseIterable {
        case used
        case rejectedInvented = "rejected_invented"
        case failed
        case stale
    }

    private let counters: [Outcome: Counter] = Dictionary(
        uniqueKeysWithValues: Outcome.allCases.map {
            ($0, Counter(label: "concierge_responder_llm_total", dimensions: [("outcome", $0.rawValue)]))
        }
    )

    func record(_ outcome: Outcome) {
        self.counters[outcome]?.increment()
    }
}
