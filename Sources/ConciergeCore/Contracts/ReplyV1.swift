/// `reply.v1`: the AI responder's message to the customer, published to the outcomes exchange with the routing key
/// `reply.<channel>` (not mandatory: upstream binds its own queue). Message id: `<inquiry message_id>.reply`, so a
/// redelivered inquiry can never produce a second, different reply.
public struct ReplyV1: MessageContract, Hashable {
    public static let schema = MessageSchema.replyV1
    public static let maximumTextLength = 4000

    public var schema: String = MessageSchema.replyV1.rawValue
    public var messageID: String
    public var inquiryID: String
    public var conversationID: String
    public var customerID: String
    public var channel: String
    public var language: String
    public var intent: String
    /// `answer` (resolves the inquiry) or `clarification` (asks the customer which purchase they mean).
    public var kind: String
    public var text: String
    /// Knowledge articles the answer is taken from (ids).
    public var citations: [String]
    /// The account facts the answer states.
    public var facts: [HandoffSummary.Fact]
    /// `builtin` (templates over facts) or `llm`.
    public var backend: String
    public var repliedAt: String

    public init(
        messageID: String, inquiryID: String, conversationID: String, customerID: String, channel: String,
        language: String, intent: String, kind: String, text: String, citations: [String],
        facts: [HandoffSummary.Fact], backend: String, repliedAt: String
    ) {
        self.messageID = messageID
        self.inquiryID = inquiryID
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.language = language
        self.intent = intent
        self.kind = kind
        self.text = text
        self.citations = citations
        self.facts = facts
        self.backend = backend
        self.repliedAt = repliedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case inquiryID = "inquiry_id"
        case conversationID = "conversation_id"
        case customerID = "customer_id"
        case channel, language, intent, kind, text, citations, facts, backend
        case repliedAt = "replied_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.inquiryID, field: "inquiry_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        try ContractRules.token(self.channel, field: "channel")
        guard ["answer", "clarification"].contains(self.kind) else {
            throw ContractError(.schemaViolation, detail: "field 'kind' must be answer or clarification")
        }
        try ContractRules.text(self.text, field: "text", maximumLength: Self.maximumTextLength)
        _ = try ContractRules.timestamp(self.repliedAt, field: "replied_at")
    }
}
