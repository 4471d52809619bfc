/// `conversation.reopened.v1`: the customer came back on the same issue within the reopen window after a human
/// resolved it. Published by the escalation worker to `payout.event`; the payout worker claws back the earning.
public struct ConversationReopenedV1: MessageContract, Hashable {
    public static let schema = MessageSchema.conversationReopenedV1

    public var schema: String = MessageSchema.conversationReopenedV1.rawValue
    public var messageID: String
    public var conversationID: String
    public var assignmentID: String
    public var agentID: String
    public var reopenedAt: String

    public init(messageID: String, conversationID: String, assignmentID: String, agentID: String, reopenedAt: String) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.assignmentID = assignmentID
        self.agentID = agentID
        self.reopenedAt = reopenedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case assignmentID = "assignment_id"
        case agentID = "agent_id"
        case reopenedAt = "reopened_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.identifier(self.assignmentID, field: "assignment_id")
        try ContractRules.identifier(self.agentID, field: "agent_id")
        _ = try ContractRules.timestamp(self.reopenedAt, field: "reopened_at")
    }
}
