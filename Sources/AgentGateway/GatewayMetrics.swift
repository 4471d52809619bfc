import ConciergeCore
public import Metrics

/// The gateway's metrics. Dimensions are bounded (event, outcome, schema), never ids: every key is one of the closed
/// enums below, and each counter is made once, up front.
public final class GatewayMetrics: Sendable {
    /// What became of a frame from a tab (`concierge_gateway_events_total{event, outcome}`).
    enum EventOutcome: Hashable, Sendable {
        case published
        /// The broker did not confirm it (or ownership could not be checked): the tab is told to try again.
        case notSent
        /// The offer or conversation is not the agent's.
        case notYours
        /// The frame was refused before anything was published.
        case refused(AgentAction.Refusal.Code)

        static let all: [EventOutcome] =
            [.published, .notSent, .notYours] + AgentAction.Refusal.Code.allCases.map { .refused($0) }

        var label: String {
            switch self {
            case .published: "published"
            case .notSent: "not_sent"
            case .notYours: "not_yours"
            case .refused(let code): code.rawValue
            }
        }
    }

    /// A message from the broker for agents (`concierge_gateway_deliveries_total{schema, outcome}`).
    enum Delivered: String, CaseIterable, Sendable {
        case offer = "offer.v1"
        case agentNotice = "agent_notice.v1"
        case assignment = "assignment.v1"
        case customerMessage = "customer_message.v1"
        /// Not a valid message for the agent of its routing key: dropped.
        case invalid
    }

    /// `concierge_gateway_signins_total{outcome}`.
    enum SignIn: String, CaseIterable, Sendable {
        case signedIn = "signed_in"
        case rejected
        case lockedOut = "locked_out"
    }

    private struct EventKey: Hashable {
        /// `nil`: a refused frame has no event yet (`event="unknown"`).
        var event: AgentEventV1.Event?
        var outcome: EventOutcome
    }

    private struct DeliveryKey: Hashable {
        var schema: Delivered
        var delivered: Bool
    }

    private let tabs: Gauge
    private let agents: Gauge
    private let events: [EventKey: Counter]
    private let deliveries: [DeliveryKey: Counter]
    private let signIns: [SignIn: Counter]

    /// `factory`: where the metrics go; the process's bootstrapped backend unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.tabs = Gauge(label: "concierge_gateway_connected_tabs", factory: factory)
        self.agents = Gauge(label: "concierge_gateway_connected_agents", factory: factory)
        var events: [EventKey: Counter] = [:]
        for event in [nil] + AgentEventV1.Event.allCases.map(Optional.some) {
            for outcome in EventOutcome.all {
                events[EventKey(event: event, outcome: outcome)] = Counter(
                    label: "concierge_gateway_events_total",
                    dimensions: [("event", event?.rawValue ?? "unknown"), ("outcome", outcome.label)], factory: factory
                )
            }
        }
        self.events = events
        var deliveries: [DeliveryKey: Counter] = [:]
        for schema in Delivered.allCases {
            for delivered in [true, false] {
                deliveries[DeliveryKey(schema: schema, delivered: delivered)] = Counter(
                    label: "concierge_gateway_deliveries_total",
                    dimensions: [("schema", schema.rawValue), ("outcome", delivered ? "delivered" : "no_tab")],
                    factory: factory
                )
            }
        }
        self.deliveries = deliveries
        var signIns: [SignIn: Counter] = [:]
        for outcome in SignIn.allCases {
            signIns[outcome] = Counter(
                label: "concierge_gateway_signins_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        self.signIns = signIns
    }

    /// `concierge_gateway_events_total{event, outcome}`; `event` is `nil` for a frame refused before it named one.
    func event(_ event: AgentEventV1.Event?, _ outcome: EventOutcome) {
        self.events[EventKey(event: event, outcome: outcome)]?.increment()
    }

    /// `concierge_gateway_deliveries_total{schema, outcome}`: messages from the broker handed to tabs (or to none).
    func delivered(_ schema: Delivered, tabs: Int) {
        self.deliveries[DeliveryKey(schema: schema, delivered: tabs > 0)]?.increment()
    }

    /// `concierge_gateway_signins_total{outcome}`.
    func signIn(_ outcome: SignIn) {
        self.signIns[outcome]?.increment()
    }

    func connected(agents: Int, tabs: Int) {
        self.agents.record(agents)
        self.tabs.record(tabs)
    }
}
