/// `assignment.v1`: the full context an agent receives when their accept wins: who the customer is (first name only),
/// why the conversation came to a person, the transcript so far and the customer's relevant account facts. Published by
/// the escalation worker to the outcomes exchange with the routing key `conversation.agent.<agent_id>` (not
/// mandatory: the agent app binds it while the agent is connected; the transcript can be read again from the database
/// after a reconnect). Message id: `<assignment_id>.context`.
public struct AssignmentV1: MessageContract, Hashable {
    public static let schema = MessageSchema.assignmentV1

    /// The customer as the agent sees them.
    public struct Customer: Codable, Sendable, Hashable {
        /// The first word of the customer's display name.
        public var firstName: String
        public var language: String
        public var market: String
        public var vip: Bool

        public init(firstName: String, language: String, market: String, vip: Bool) {
            self.firstName = firstName
            self.language = language
            self.market = market
            self.vip = vip
        }

        enum CodingKeys: String, CodingKey {
            case firstName = "first_name"
            case language, market, vip
        }
    }

    /// Why the conversation is with a person, for every human route (not only AI handoffs).
    public struct Summary: Codable, Sendable, Hashable {
        /// The routing reasons, e.g. `asked_for_human`, `sensitive:report_fraud`, `vip`, `handoff:no_facts`.
        public var reasons: [String]
        public var intent: String?
        /// `calm`, `upset` or `distressed` (from the classifier's distress signal).
        public var sentiment: String
        public var vip: Bool
        /// The AI's handoff reason, when the AI lane handed it over.
        public var handoffReason: String?
        /// A few sentences for the agent (never the customer's own words; those are in the transcript).
        public var text: String

        public init(
            reasons: [String], intent: String?, sentiment: String, vip: Bool, handoffReason: String?, text: String
        ) {
            self.reasons = reasons
            self.intent = intent
            self.sentiment = sentiment
            self.vip = vip
            self.handoffReason = handoffReason
            self.text = text
        }

        enum CodingKeys: String, CodingKey {
            case reasons, intent, sentiment, vip, text
            case handoffReason = "handoff_reason"
        }
    }

    public var schema: String = MessageSchema.assignmentV1.rawValue
    public var messageID: String
    public var assignmentID: String
    public var conversationID: String
    public var agentID: String
    public var channel: String
    public var customer: Customer
    public var summary: Summary
    public var transcript: [TranscriptEntry]
    public var facts: [HandoffSummary.Fact]
    public var assignedAt: String

    public init(
        assignmentID: String, conversationID: String, agentID: String, channel: String, customer: Customer,
        summary: Summary, transcript: [TranscriptEntry], facts: [HandoffSummary.Fact], assignedAt: String
    ) {
        self.messageID = "\(assignmentID).context"
        self.assignmentID = assignmentID
        self.conversationID = conversationID
        self.agentID = agentID
        self.channel = channel
        self.customer = customer
        self.summary = summary
        self.transcript = transcript
        self.facts = facts
        self.assignedAt = assignedAt
    }

    /// `conversation.agent.<agent_id>`: everything about the conversations an agent holds.
    public static func routingKey(agentID: String) -> String { "conversation.agent.\(agentID)" }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case assignmentID = "assignment_id"
        case conversationID = "conversation_id"
        case agentID = "agent_id"
        case channel, customer, summary, transcript, facts
        case assignedAt = "assigned_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.assignmentID, field: "assignment_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.agentIdentifier(self.agentID, field: "agent_id")
        _ = try ContractRules.timestamp(self.assignedAt, field: "assigned_at")
    }
}
