import Metrics

/// - `concierge_payout_events_total{schema, outcome}`: events by schema and what they did (`applied`, `duplicate`,
///   `waiting` for their resolution)
/// - `concierge_payout_earnings_total{kind}`: earnings booked
final class PayoutMetrics: Sendable {
    private let events: [String: Counter]
    private let earnings: [EarningKind: Counter]

    init() {
        var events: [String: Counter] = [:]
        for schema in ["conversation.resolved.v1", "feedback.v1", "conversation.reopened.v1"] {
            for outcome in ["applied", "duplicate", "waiting"] {
                events["\(schema)/\(outcome)"] = Counter(
                    label: "concierge_payout_events_total", dimensions: [("schema", schema), ("outcome", outcome)]
                )
            }
        }
        self.events = events
        self.earnings = Dictionary(
            uniqueKeysWithValues: EarningKind.allCases.map {
                ($0, Counter(label: "concierge_payout_earnings_total", dimensions: [("kind", $0.rawValue)]))
            }
        )
    }

    func event(_ schema: String, _ outcome: String) {
        self.events["\(schema)/\(outcome)"]?.increment()
    }

    func earning(_ kind: EarningKind) {
        self.earnings[kind]?.increment()
    }
}
