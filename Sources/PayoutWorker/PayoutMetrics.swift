import ConciergeCore
public import Metrics

/// - `concierge_payout_events_total{schema, outcome}`: events by schema and what they did (`applied`, `duplicate`,
///   `waiting` for their resolution)
/// - `concierge_payout_earnings_total{kind}`: earnings booked
///
/// One instance per process, made by `PayoutWorker.services` and handed to the handler.
public final class PayoutMetrics: Sendable {
    /// What an event did (`concierge_payout_events_total{outcome}`).
    enum EventOutcome: String, CaseIterable {
        case applied, duplicate
        /// A rating or reopen that arrived before its resolution: kept, applied when the resolution comes.
        case waiting
    }

    private struct EventKey: Hashable {
        var schema: MessageSchema
        var outcome: EventOutcome
    }

    /// The schemas the payout worker consumes.
    static let schemas: [MessageSchema] = [.conversationResolvedV1, .feedbackV1, .conversationReopenedV1]

    private let events: [EventKey: Counter]
    private let earnings: [EarningKind: Counter]

    /// `factory`: where the metrics go; the process's bootstrapped backend unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        var events: [EventKey: Counter] = [:]
        for schema in Self.schemas {
            for outcome in EventOutcome.allCases {
                events[EventKey(schema: schema, outcome: outcome)] = Counter(
                    label: "concierge_payout_events_total",
                    dimensions: [("schema", schema.rawValue), ("outcome", outcome.rawValue)],
                    factory: factory
                )
            }
        }
        self.events = events
        var earnings: [EarningKind: Counter] = [:]
        for kind in EarningKind.allCases {
            earnings[kind] = Counter(
                label: "concierge_payout_earnings_total", dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        self.earnings = earnings
    }

    func event(_ schema: MessageSchema, _ outcome: EventOutcome) {
        self.events[EventKey(schema: schema, outcome: outcome)]?.increment()
    }

    func earning(_ kind: EarningKind) {
        self.earnings[kind]?.increment()
    }
}
