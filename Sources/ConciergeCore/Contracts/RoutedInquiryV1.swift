/// `routed_inquiry.v1`: an inquiry with the classifier's decision, published to the work exchange with the routing
/// key `lane.ai` (to the AI responder) or `lane.human` (to the escalation worker). Message id: `<inquiry id>.routed`.
///
/// When the AI responder hands an inquiry over it republishes it to `lane.human` with the decision changed to a human
/// route (a reason such as `handoff:no_facts` appended), the message id `<inquiry id>.handoff.routed` and the optional
/// `handoff` summary for the agent. Messages without a handoff omit the field.
public struct RoutedInquiryV1: MessageContract, Hashable {
    public static let schema = MessageSchema.routedInquiryV1

    public struct Decision: Codable, Sendable, Hashable {
        public var route: Route
        public var priority: Priority
        public var intent: String?
        public var confidence: Double
        public var reasons: [String]
        public var sensitive: Bool
        public var complexity: String
        public var skills: [String]
        public var language: String
        public var vip: Bool
        public var assignedAgentID: String?

        public init(
            route: Route, priority: Priority, intent: String?, confidence: Double, reasons: [String], sensitive: Bool,
            complexity: String, skills: [String], language: String, vip: Bool, assignedAgentID: String?
        ) {
            self.route = route
            self.priority = priority
            self.intent = intent
            self.confidence = confidence
            self.reasons = reasons
            self.sensitive = sensitive
            self.complexity = complexity
            self.skills = skills
            self.language = language
            self.vip = vip
            self.assignedAgentID = assignedAgentID
        }

        enum CodingKeys: String, CodingKey {
            case route, priority, intent, confidence, reasons, sensitive, complexity, skills, language, vip
            case assignedAgentID = "assigned_agent_id"
        }
    }

    public var schema: String = MessageSchema.routedInquiryV1.rawValue
    public var messageID: String
    public var inquiry: InquiryV1
    public var decision: Decision
    /// Set only by the AI responder when it hands the inquiry to the human lane; absent otherwise.
    public var handoff: HandoffSummary?

    public init(messageID: String, inquiry: InquiryV1, decision: Decision, handoff: HandoffSummary? = nil) {
        self.messageID = messageID
        self.inquiry = inquiry
        self.decision = decision
        self.handoff = handoff
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case inquiry, decision, handoff
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try self.inquiry.validate()
    }
}
