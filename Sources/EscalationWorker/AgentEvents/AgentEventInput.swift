public import ConciergeCore

/// What arrives on the agent events queue.
public enum AgentEventInput: Sendable, Hashable {
    /// An agent app's event, parsed (`AgentEvent`).
    case event(AgentEvent)
    case feedback(FeedbackV1)
    case applied(AgentAppliedV1)
}
