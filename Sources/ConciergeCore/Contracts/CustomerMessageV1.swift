/// `customer_message.v1`: a customer's message in a conversation an agent holds, delivered to that agent. Published
/// by the escalation worker to the outcomes exchange with the routing key `conversation.agent.<agent_id>`. Message
/// id: `<inquiry message_id>.agent`, so a redelivered inquiry is delivered once; `seq` is the message's place in the
/// conversation's transcript, so an app that receives two out of order can show them in order.
public struct CustomerMessageV1: MessageContract, Hashable {
    public static let schema = MessageSchema.customerMessageV1

    public var schema: String = MessageSchema.customerMessageV1.rawValue
    public var messageID: String
    public var inquiryID: String
    public var conversationID: String
    public var assignmentID: String
    public var agentID: String
    public var seq: Int
    public var text: String
    public var sentAt: String

    public init(
        inquiryID: String, conversationID: String, assignmentID: String, agentID: String, seq: Int, text: String,
        sentAt: String
    ) {
        self.messageID = "\(inquiryID).agent"
        self.inquiryID = inquiryID
        self.conversationID = conversationID
        self.assignmentID = assignmentID
        self.agentID = agentID
        self.seq = seq
        self.text = text
        self.sentAt = sentAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case inquiryID = "inquiry_id"
        case conversationID = "conversation_id"
        case assignmentID = "assignment_id"
        case agentID = "agent_id"
        case seq, text
        case sentAt = "sent_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.agentIdentifier(self.agentID, field: "agent_id")
        try ContractRules.text(self.text, field: "text", maximumLength: InquiryV1.maximumTextLength)
    }
}
