import Foundation

/// `inquiry.v1`: a customer's message, published by upstream systems to the `concierge.inquiries` exchange with the
/// routing key `inquiry.<channel>`.
///
/// Required: `schema`, `message_id`, `customer_id`, `channel`, `text`, `sent_at`.
/// Optional: `conversation_id` (defaults to `message_id`: a new conversation), `language` (ISO 639-1; detected when
/// absent), `in_reply_to` (the message id this one follows up on).
public struct InquiryV1: MessageContract, Hashable {
    public static let schema = MessageSchema.inquiryV1
    public static let maximumTextLength = 4000

    public var schema: String = MessageSchema.inquiryV1.rawValue
    public var messageID: String
    public var conversationID: String?
    public var customerID: String
    public var channel: String
    public var language: String?
    public var text: String
    public var sentAt: String
    public var inReplyTo: String?

    public init(
        messageID: String, conversationID: String? = nil, customerID: String, channel: String,
        language: String? = nil, text: String, sentAt: String, inReplyTo: String? = nil
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.language = language
        self.text = text
        self.sentAt = sentAt
        self.inReplyTo = inReplyTo
    }

    /// The conversation this inquiry belongs to.
    public var conversation: String { self.conversationID ?? self.messageID }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case customerID = "customer_id"
        case channel, language, text
        case sentAt = "sent_at"
        case inReplyTo = "in_reply_to"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        if let conversationID { try ContractRules.identifier(conversationID, field: "conversation_id") }
        if let inReplyTo { try ContractRules.identifier(inReplyTo, field: "in_reply_to") }
        try ContractRules.identifier(self.customerID, field: "customer_id")
        try ContractRules.token(self.channel, field: "channel")
        if let language {
            guard language.count == 2, language.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw ContractError(.schemaViolation, detail: "field 'language' must be an ISO 639-1 code such as 'en'")
            }
        }
        try ContractRules.text(self.text, field: "text", maximumLength: Self.maximumTextLength)
        _ = try ContractRules.timestamp(self.sentAt, field: "sent_at")
    }
}
