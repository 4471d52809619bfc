/// `conversation_update.v1`: what the human lane tells the customer, published by the escalation worker to the
/// outcomes exchange with the routing key `reply.<channel>` (beside the AI's `reply.v1`; a channel dispatches on
/// `schema`). `text` is ready to show, in the customer's language; the structured fields let a channel render its
/// own.
///
/// | `kind` | when | extra fields |
/// |---|---|---|
/// | `waiting` | in the line, when the position or the expected wait changes materially | `position`, `eta_minutes` |
/// | `assigned` | a person has the case | `agent_name` (first name only) |
/// | `agent_message` | the agent wrote | `agent_name` |
/// | `resolved` | the agent resolved the conversation | `rating_requested` (rate with `feedback.v1`) |
///
/// Message ids: `<escalation_id>.waiting.<n>`, `<assignment_id>.assigned`, `<agent event id>.customer`,
/// `<assignment_id>.resolved.customer`.
public struct ConversationUpdateV1: MessageContract, Hashable {
    public static let schema = MessageSchema.conversationUpdateV1

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case waiting, assigned, resolved
        case agentMessage = "agent_message"
    }

    public var schema: String = MessageSchema.conversationUpdateV1.rawValue
    public var messageID: String
    public var conversationID: String
    public var customerID: String
    public var channel: String
    public var language: String
    public var kind: Kind
    public var text: String
    public var agentName: String?
    public var position: Int?
    public var etaMinutes: Int?
    public var ratingRequested: Bool?
    public var sentAt: String

    public init(
        messageID: String, conversationID: String, customerID: String, channel: String, language: String, kind: Kind,
        text: String, agentName: String? = nil, position: Int? = nil, etaMinutes: Int? = nil,
        ratingRequested: Bool? = nil, sentAt: String
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.customerID = customerID
        self.channel = channel
        self.language = language
        self.kind = kind
        self.text = text
        self.agentName = agentName
        self.position = position
        self.etaMinutes = etaMinutes
        self.ratingRequested = ratingRequested
        self.sentAt = sentAt
    }

    /// `reply.<channel>`.
    public var routingKey: String { "reply.\(self.channel)" }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case customerID = "customer_id"
        case channel, language, kind, text
        case agentName = "agent_name"
        case position
        case etaMinutes = "eta_minutes"
        case ratingRequested = "rating_requested"
        case sentAt = "sent_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        _ = try ContractRules.timestamp(self.sentAt, field: "sent_at")
    }
}
