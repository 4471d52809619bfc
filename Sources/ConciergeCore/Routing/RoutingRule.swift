/// One rule of the routing policy: when its condition holds, it contributes a route and a reason.
public struct RoutingRule: Sendable, Hashable, Codable {
    /// The conditions a rule can test.
    public enum Condition: String, Sendable, Hashable, Codable, CaseIterable {
        /// The conversation is assigned to a human agent (a follow-up).
        case assignedToAgent = "assigned_to_agent"
        /// The customer asked for a person.
        case askedForHuman = "asked_for_human"
        case distressSevere = "distress_severe"
        /// Mild or severe distress.
        case distress
        case vip
        /// The intent (or a sensitive topic in the text) is sensitive.
        case sensitive
        /// The intent catalog routes this intent to humans.
        case intentRequiresHuman = "intent_requires_human"
        /// Confidence below the threshold: the intent is unknown.
        case lowConfidence = "low_confidence"
        case unsupportedLanguage = "unsupported_language"
        case repeatContact = "repeat_contact"
    }

    /// What a rule routes to. `fromIntent` takes the intent catalog's route.
    public enum Target: String, Sendable, Hashable, Codable {
        case ai
        case human
        case humanPriority = "human_priority"
        case fromIntent = "from_intent"
    }

    public var name: String
    public var when: Condition
    public var route: Target
    /// Raises the priority in the human waiting line (default: high for human_priority, else normal).
    public var priority: Priority?

    public init(name: String, when: Condition, route: Target, priority: Priority? = nil) {
        self.name = name
        self.when = when
        self.route = route
        self.priority = priority
    }
}
