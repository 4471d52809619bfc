public import Foundation

/// An agent event as the escalation worker applies it: parsed from the wire's `AgentEventV1`, one case per event
/// carrying exactly the fields that event has, so nothing downstream unwraps an optional the contract promises, and
/// `sent_at` as a `Date`. Parsing validates (`AgentEventV1.validate()`): an invalid combination, such as an `accept`
/// without `offer_id`, is a `schema_violation` with the missing field named.
public struct AgentEvent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case online
        case offline
        case heartbeat
        case accept(offerID: String)
        case decline(offerID: String, reason: String)
        case message(conversationID: String, text: String)
        case resolve(conversationID: String, outcome: Outcome)
        case transfer(conversationID: String, skill: String?, note: String?)
    }

    /// How the agent ended the conversation.
    public enum Outcome: String, Sendable, Hashable {
        case resolved
        case unresolved
    }

    public var messageID: String
    public var agentID: String
    public var sentAt: Date
    public var action: Action

    public init(messageID: String, agentID: String, sentAt: Date, action: Action) {
        self.messageID = messageID
        self.agentID = agentID
        self.sentAt = sentAt
        self.action = action
    }

    /// Parses (and validates) a decoded wire event.
    public init(_ wire: AgentEventV1) throws(ContractError) {
        try wire.validate()
        func field(_ value: String?, _ name: String) throws(ContractError) -> String {
            guard let value else {
                throw ContractError(.schemaViolation, detail: "missing required field '\(name)' for this event")
            }
            return value
        }
        let action: Action
        switch wire.event {
        case .online: action = .online
        case .offline: action = .offline
        case .heartbeat: action = .heartbeat
        case .accept: action = .accept(offerID: try field(wire.offerID, "offer_id"))
        case .decline:
            action = .decline(offerID: try field(wire.offerID, "offer_id"), reason: try field(wire.reason, "reason"))
        case .message:
            action = .message(
                conversationID: try field(wire.conversationID, "conversation_id"), text: try field(wire.text, "text"))
        case .resolve:
            guard let outcome = Outcome(rawValue: try field(wire.outcome, "outcome")) else {
                throw ContractError(.schemaViolation, detail: "field 'outcome' must be resolved or unresolved")
            }
            action = .resolve(conversationID: try field(wire.conversationID, "conversation_id"), outcome: outcome)
        case .transfer:
            action = .transfer(
                conversationID: try field(wire.conversationID, "conversation_id"), skill: wire.skill, note: wire.note)
        }
        self.init(
            messageID: wire.messageID, agentID: wire.agentID,
            sentAt: try ContractRules.timestamp(wire.sentAt, field: "sent_at"), action: action
        )
    }
}
