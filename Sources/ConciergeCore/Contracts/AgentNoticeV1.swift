/// `agent_notice.v1`: something happened to an offer or a conversation of the agent that the agent app must show.
/// Published by the escalation worker to the outcomes exchange, key `offer.agent.<agent_id>` for offer notices and
/// `conversation.agent.<agent_id>` for conversation notices (not mandatory).
///
/// | `kind` | about | meaning |
/// |---|---|---|
/// | `offer_withdrawn` | `offer_id` | the offer is gone: `reason` `taken` (another agent accepted first), `expired`, `offline` |
/// | `conversation_released` | `conversation_id` | the conversation was taken back: `reason` `presence_lost`, `no_reply`, `transferred`, `handed_back` |
/// | `nudge` | `conversation_id` | the customer has waited `reason`=`no_reply` for an answer; the conversation will be re-queued soon |
///
/// Message id: `<offer_id>.withdrawn`, `<assignment_id>.released`, `<assignment_id>.nudge`.
public struct AgentNoticeV1: MessageContract, Hashable {
    public static let schema = MessageSchema.agentNoticeV1

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case offerWithdrawn = "offer_withdrawn"
        case conversationReleased = "conversation_released"
        case nudge
    }

    public var schema: String = MessageSchema.agentNoticeV1.rawValue
    public var messageID: String
    public var agentID: String
    public var kind: Kind
    public var reason: String
    public var offerID: String?
    public var conversationID: String?
    public var at: String

    public init(
        messageID: String, agentID: String, kind: Kind, reason: String, offerID: String?, conversationID: String?,
        at: String
    ) {
        self.messageID = messageID
        self.agentID = agentID
        self.kind = kind
        self.reason = reason
        self.offerID = offerID
        self.conversationID = conversationID
        self.at = at
    }

    /// The key it is published with.
    public var routingKey: String {
        self.kind == .offerWithdrawn
            ? OfferV1.routingKey(agentID: self.agentID) : AssignmentV1.routingKey(agentID: self.agentID)
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case agentID = "agent_id"
        case kind, reason
        case offerID = "offer_id"
        case conversationID = "conversation_id"
        case at
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.agentIdentifier(self.agentID, field: "agent_id")
        try ContractRules.token(self.reason, field: "reason")
        _ = try ContractRules.timestamp(self.at, field: "at")
    }
}
