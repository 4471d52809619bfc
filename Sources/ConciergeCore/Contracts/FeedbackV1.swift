/// `feedback.v1`: the customer rated a conversation handled by a human agent (CSAT 1–5). Published by upstream (or
/// the agent app simulation) to the agents exchange as `agent.<agent_id>.feedback`; the escalation worker records it
/// on the agent's rating and forwards it to the payout worker (`payout.event`), which may pay a CSAT bonus.
public struct FeedbackV1: MessageContract, Hashable {
    public static let schema = MessageSchema.feedbackV1

    public var schema: String = MessageSchema.feedbackV1.rawValue
    public var messageID: String
    public var conversationID: String
    public var agentID: String
    public var customerID: String
    public var csat: Int
    public var submittedAt: String

    public init(
        messageID: String, conversationID: String, agentID: String, customerID: String, csat: Int, submittedAt: String
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.agentID = agentID
        self.customerID = customerID
        self.csat = csat
        self.submittedAt = submittedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case agentID = "agent_id"
        case customerID = "customer_id"
        case csat
        case submittedAt = "submitted_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.identifier(self.agentID, field: "agent_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        guard (1...5).contains(self.csat) else {
            throw ContractError(.schemaViolation, detail: "field 'csat' must be 1...5")
        }
        _ = try ContractRules.timestamp(self.submittedAt, field: "submitted_at")
    }
}
