public import Metrics
import Synchronization

/// The gateway's metrics. Dimensions are bounded (event, outcome, schema), never ids; each counter is made once and
/// kept (the sets are small and fixed by the code).
public final class GatewayMetrics: Sendable {
    private let tabs = Gauge(label: "concierge_gateway_connected_tabs")
    private let agents = Gauge(label: "concierge_gateway_connected_agents")
    private let counters = Mutex<[String: Counter]>([:])

    public init() {}

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return self.counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            counters[key] = counter
            return counter
        }
    }

    /// `concierge_gateway_events_total{event, outcome}`: published, refused (why), not_confirmed.
    func event(_ event: String, _ outcome: String) {
        self.counter("concierge_gateway_events_total", [("event", event), ("outcome", outcome)]).increment()
    }

    /// `concierge_gateway_deliveries_total{schema, outcome}`: messages from the broker handed to tabs (or to none).
    func delivered(_ schema: String, tabs: Int) {
        self.counter("concierge_gateway_deliveries_total", [("schema", schema), ("outcome", tabs > 0 ? "delivered" : "no_tab")]).increment()
    }

    /// `concierge_gateway_signins_total{outcome}`: signed_in, rejected, locked_out.
    func signIn(_ outcome: String) {
        self.counter("concierge_gateway_signins_total", [("outcome", outcome)]).increment()
    }

    func connected(agents: Int, tabs: Int) {
        self.agents.record(agents)
        self.tabs.record(tabs)
    }
}
