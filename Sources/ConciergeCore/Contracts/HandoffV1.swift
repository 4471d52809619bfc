/// `handoff.v1`: the AI lane handed an inquiry to the human lane. Published by the AI responder to the outcomes
/// exchange with the routing key `handoff.<channel>` (not mandatory) so upstream can tell the customer a person will
/// answer. Message id: `<inquiry message_id>.handoff`. The same summary travels to the escalation worker inside the
/// `routed_inquiry.v1` on `lane.human` (field `handoff`).
public struct HandoffV1: MessageContract, Hashable {
    public static let schema = MessageSchema.handoffV1

    public var schema: String = MessageSchema.handoffV1.rawValue
    public var messageID: String
    public var inquiryID: String
    public var conversationID: String
    public var customerID: String
    public var channel: String
    public var intent: String?
    public var handoff: HandoffSummary
    public var handedOffAt: String

    public init(
        messageID: String, inquiryID: String, conversationID: String, customerID: String, channel: String,
        intent: String?, handoff: HandoffSummary, handedOffAt: String
    ) {
        self.messageID = messageID
        self.inquiryID = inquiryID
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.intent = intent
        self.handoff = handoff
        self.handedOffAt = handedOffAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case inquiryID = "inquiry_id"
        case conversationID = "conversation_id"
        case customerID = "customer_id"
        case channel, intent, handoff
        case handedOffAt = "handed_off_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.inquiryID, field: "inquiry_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        try ContractRules.token(self.channel, field: "channel")
        try ContractRules.text(self.handoff.reason, field: "handoff.reason", maximumLength: 64)
        _ = try ContractRules.timestamp(self.handedOffAt, field: "handed_off_at")
    }
}
