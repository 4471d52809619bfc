/// `agent_event.v1`: an event from the agent app, published to the agents exchange (`concierge.agents`) with the
/// routing key `agent.<agent_id>.<event>`; the escalation worker consumes it from `concierge.agent-events`.
///
/// Required: `schema`, `message_id`, `agent_id`, `event`, `sent_at`. Per event:
/// - `online`, `offline`, `heartbeat`: nothing else.
/// - `accept`: `offer_id`. `decline`: `offer_id` and `reason` (a token such as `busy`, `skills`, `other`).
/// - `message`: `conversation_id` and `text` (the agent's reply to the customer).
/// - `resolve`: `conversation_id` and `outcome` (`resolved` or `unresolved`).
/// - `transfer`: `conversation_id`, optional `skill` (a token such as `fraud`: the conversation goes back to the line
///   needing that skill; absent: handed back to the line as it is) and optional `note` (at most 500 characters, kept in
///   the transcript for the next agent).
public struct AgentEventV1: MessageContract, Hashable {
    public static let schema = MessageSchema.agentEventV1
    public static let maximumTextLength = 4000
    public static let maximumNoteLength = 500

    /// What happened.
    public enum Event: String, Sendable, Codable, CaseIterable {
        case online, offline, heartbeat, accept, decline, message, resolve, transfer
    }

    public var schema: String = MessageSchema.agentEventV1.rawValue
    public var messageID: String
    public var agentID: String
    public var event: Event
    public var sentAt: String
    public var offerID: String?
    public var reason: String?
    public var conversationID: String?
    public var text: String?
    public var outcome: String?
    public var skill: String?
    public var note: String?

    public init(
        messageID: String, agentID: String, event: Event, sentAt: String, offerID: String? = nil, reason: String? = nil,
        conversationID: String? = nil, text: String? = nil, outcome: String? = nil, skill: String? = nil,
        note: String? = nil
    ) {
        self.messageID = messageID
        self.agentID = agentID
        self.event = event
        self.sentAt = sentAt
        self.offerID = offerID
        self.reason = reason
        self.conversationID = conversationID
        self.text = text
        self.outcome = outcome
        self.skill = skill
        self.note = note
    }

    /// The routing key the agent app publishes this event with.
    public var routingKey: String { "agent.\(self.agentID).\(self.event.rawValue)" }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case agentID = "agent_id"
        case event
        case sentAt = "sent_at"
        case offerID = "offer_id"
        case reason
        case conversationID = "conversation_id"
        case text, outcome, skill, note
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.agentIdentifier(self.agentID, field: "agent_id")
        _ = try ContractRules.timestamp(self.sentAt, field: "sent_at")
        switch self.event {
        case .online, .offline, .heartbeat:
            break
        case .accept:
            try ContractRules.identifier(try Self.require(self.offerID, "offer_id"), field: "offer_id")
        case .decline:
            try ContractRules.identifier(try Self.require(self.offerID, "offer_id"), field: "offer_id")
            try ContractRules.token(try Self.require(self.reason, "reason"), field: "reason")
        case .message:
            try ContractRules.identifier(
                try Self.require(self.conversationID, "conversation_id"), field: "conversation_id")
            try ContractRules.text(
                try Self.require(self.text, "text"), field: "text", maximumLength: Self.maximumTextLength)
        case .resolve:
            try ContractRules.identifier(
                try Self.require(self.conversationID, "conversation_id"), field: "conversation_id")
            guard ["resolved", "unresolved"].contains(try Self.require(self.outcome, "outcome")) else {
                throw ContractError(.schemaViolation, detail: "field 'outcome' must be resolved or unresolved")
            }
        case .transfer:
            try ContractRules.identifier(
                try Self.require(self.conversationID, "conversation_id"), field: "conversation_id")
            if let skill = self.skill { try ContractRules.token(skill, field: "skill") }
            if let note = self.note {
                try ContractRules.text(note, field: "note", maximumLength: Self.maximumNoteLength)
            }
        }
    }

    private static func require(_ value: String?, _ field: String) throws(ContractError) -> String {
        guard let value else {
            throw ContractError(.schemaViolation, detail: "missing required field '\(field)' for this event")
        }
        return value
    }
}

extension ContractRules {
    /// An agent id: an identifier without dots, because it is one word of the routing keys `agent.<agent_id>.<event>`
    /// and `offer.agent.<agent_id>`.
    public static func agentIdentifier(_ value: String, field: String) throws(ContractError) {
        try self.identifier(value, field: field)
        guard !value.contains(".") else {
            throw ContractError(.schemaViolation, detail: "field '\(field)' must not contain '.'")
        }
    }
}
