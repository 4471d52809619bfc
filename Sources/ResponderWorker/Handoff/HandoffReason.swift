/// Why the AI lane hands an inquiry to a person. A bounded set: it is a metric dimension and the `handoff:<reason>`
/// routing reason.
public enum HandoffReason: String, Sendable, Hashable, CaseIterable {
    /// No purchase on record matches what the customer asks about (or they have none).
    case noFacts = "no_facts"
    /// Several purchases match and a clarifying question was already asked in this conversation.
    case ambiguousFacts = "ambiguous_facts"
    /// No knowledge article answers the question well enough (or none in the customer's language).
    case lowRetrievalScore = "low_retrieval_score"
    /// The classifier gave no intent, or one the responder has no answer for.
    case unknownIntent = "unknown_intent"
    /// The customer says a previous AI answer in this conversation did not help.
    case notHelped = "not_helped"
    /// The facts contradict the customer (a duplicate charge, "delivered" but not received): a person must look.
    case needsInvestigation = "needs_investigation"
    /// The conversation was already handed to a person, or the AI has answered it too often.
    case alreadyWithHuman = "already_with_human"
    /// A sensitive or human-routed inquiry reached the AI lane.
    case misrouted
}
