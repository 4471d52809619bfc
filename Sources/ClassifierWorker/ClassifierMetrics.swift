import ConciergeCore
public import Metrics
import Synchronization

/// - `concierge_routing_decisions_total{route}`
/// - `concierge_routing_reasons_total{reason}`: the reason's kind (`vip`, `low_confidence`, `intent`…), never values
/// - `concierge_intent_confidence`: histogram of the model's top confidence
public final class ClassifierMetrics: Sendable {
    private let factory: any MetricsFactory
    private let routes: [Route: Counter]
    private let reasons = Mutex<[String: Counter]>([:])
    private let confidence: Recorder

    /// `factory`: where the metrics go; the process's bootstrapped backend unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        var routes: [Route: Counter] = [:]
        for route in Route.allCases {
            routes[route] = Counter(
                label: "concierge_routing_decisions_total", dimensions: [("route", route.rawValue)], factory: factory)
        }
        self.routes = routes
        self.confidence = Recorder(
            label: "concierge_intent_confidence", dimensions: [], aggregate: true, factory: factory)
    }

    func record(_ decision: RoutingDecision, confidence: Double) {
        self.routes[decision.route]?.increment()
        self.confidence.record(confidence)
        for reason in decision.reasons {
            let kind = String(reason.prefix { $0 != ":" })
            let counter = self.reasons.withLock { counters in
                if let counter = counters[kind] { return counter }
                let counter = Counter(
                    label: "concierge_routing_reasons_total", dimensions: [("reason", kind)], factory: self.factory)
                counters[kind] = counter
                return counter
            }
            counter.increment()
        }
    }
}
