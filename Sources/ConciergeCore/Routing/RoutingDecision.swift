/// The routing policy's decision and why. Persisted with every inquiry.
public struct RoutingDecision: Sendable, Hashable, Codable {
    public var route: Route
    public var priority: Priority
    /// Reasons that fired, in rule order, e.g. `vip`, `intent:dispute_purchase`, `low_confidence:0.41`,
    /// `asked_for_human`.
    public var reasons: [String]
    /// For follow-ups: the agent that owns the conversation.
    public var assignedAgent: String?

    public init(route: Route, priority: Priority, reasons: [String], assignedAgent: String? = nil) {
        self.route = route
        self.priority = priority
        self.reasons = reasons
        self.assignedAgent = assignedAgent
    }
}
