public import ConciergeCore

/// What arrives on the agent events queue.
public enum AgentEventInput: Sendable, Hashable {
    case event(AgentEventV1)
    case feedback(FeedbackV1)
    case applied(AgentAppliedV1)
}
