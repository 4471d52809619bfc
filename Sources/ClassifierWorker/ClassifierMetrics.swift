import ConciergeCore
import Metrics
import Synchronization

/// - `concierge_routing_decisions_total{route}`
/// - `concierge_routing_reasons_total{reason}`: the reason's kind (`vip`, `low_confidence`, `intent`…), never values
/// - `concierge_intent_confidence`: histogram of the model's top confidence
final class ClassifierMetrics: Sendable {
    private let routes: [Route: Counter] = Dictionary(
        uniqueKeysWithValues: Route.allCases.map { ($0, Counter(label: "concierge_routing_decisions_total", dimensions: [("route", $0.rawValue)])) }
    )
    private let reasons = Mutex<[String: Counter]>([:])
    private let confidence = Recorder(label: "concierge_intent_confidence", dimensions: [], aggregate: true)

    func record(_ decision: RoutingDecision, confidence: Double) {
        self.routes[decision.route]?.increment()
        self.confidence.record(confidence)
        for reason in decision.reasons {
            let kind = String(reason.prefix { $0 != ":" })
            let counter = self.reasons.withLock { counters in
                if let counter = counters[kind] { return counter }
                let counter = Counter(label: "concierge_routing_reasons_total", dimensions: [("reason", kind)])
                counters[kind] = counter
                return counter
            }
            counter.increment()
        }
    }
}
