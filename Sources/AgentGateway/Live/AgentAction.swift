public import ConciergeCore
import Foundation

/// What an agent asked for from a tab, parsed at the edge from the WebSocket's JSON text. The agent id is never
/// taken from the frame: the event is stamped with the session's agent.
///
/// Frames: `{"type": "online" | "offline"}`, `{"type": "accept", "offer_id"}`, `{"type": "decline", "offer_id",
/// "reason"}`, `{"type": "message", "conversation_id", "text"}`, `{"type": "resolve", "conversation_id", "outcome"}`,
/// `{"type": "transfer", "conversation_id", "skill"?, "note"?}`, each with an optional `client_id` echoed in the
/// answer.
public enum AgentAction: Sendable, Hashable {
    case online
    case offline
    case accept(offerID: String)
    case decline(offerID: String, reason: String)
    case message(conversationID: String, text: String)
    case resolve(conversationID: String, outcome: String)
    case transfer(conversationID: String, skill: String?, note: String?)

    /// A parsed frame: the action and the tab's own id for it.
    public struct Frame: Sendable, Hashable {
        public var action: AgentAction
        public var clientID: String?
    }

    /// Why a frame was refused (sent back to the tab as `{"type":"error","code",...}`; nothing is published).
    public struct Refusal: Error, Sendable, Hashable {
        /// The closed set of answers the tab's script knows (`f.code`).
        public enum Code: String, Sendable, CaseIterable {
            case malformed, invalid
            case textTooLong = "text_too_long"
            case unknownType = "unknown_type"
        }

        public var code: Code
        public var detail: String
        public var clientID: String?
    }

    private struct Raw: Decodable {
        var type: String
        var clientID: String?
        var offerID: String?
        var reason: String?
        var conversationID: String?
        var text: String?
        var outcome: String?
        var skill: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case type, reason, text, outcome, skill, note
            case clientID = "client_id", offerID = "offer_id", conversationID = "conversation_id"
        }
    }

    /// Parses a frame, then checks the event it would publish against `agent_event.v1`'s rules.
    public static func parse(_ text: String, agentID: String) -> Result<Frame, Refusal> {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(text.utf8))
        } catch {
            return .failure(Refusal(code: .malformed, detail: "not a JSON object with a string 'type'", clientID: nil))
        }
        let clientID = raw.clientID.map { String($0.prefix(64)) }
        func missing(_ field: String) -> Result<Frame, Refusal> {
            .failure(Refusal(code: .invalid, detail: "missing '\(field)'", clientID: clientID))
        }
        let action: AgentAction
        switch raw.type {
        case "online": action = .online
        case "offline": action = .offline
        case "accept":
            guard let offer = raw.offerID else { return missing("offer_id") }
            action = .accept(offerID: offer)
        case "decline":
            guard let offer = raw.offerID else { return missing("offer_id") }
            action = .decline(offerID: offer, reason: raw.reason ?? "other")
        case "message":
            guard let conversation = raw.conversationID else { return missing("conversation_id") }
            guard let text = raw.text else { return missing("text") }
            guard text.count <= AgentEventV1.maximumTextLength else {
                return .failure(
                    Refusal(
                        code: .textTooLong, detail: "a message is at most \(AgentEventV1.maximumTextLength) characters",
                        clientID: clientID)
                )
            }
            action = .message(conversationID: conversation, text: text)
        case "resolve":
            guard let conversation = raw.conversationID else { return missing("conversation_id") }
            action = .resolve(conversationID: conversation, outcome: raw.outcome ?? "resolved")
        case "transfer":
            guard let conversation = raw.conversationID else { return missing("conversation_id") }
            action = .transfer(
                conversationID: conversation, skill: raw.skill.flatMap { $0.isEmpty ? nil : $0 },
                note: raw.note.flatMap { $0.isEmpty ? nil : $0 })
        default:
            return .failure(Refusal(code: .unknownType, detail: "unknown frame type", clientID: clientID))
        }
        do {
            try action.event(agentID: agentID, messageID: "gw-check", sentAt: Timestamps.format(Date())).validate()
        } catch {
            return .failure(Refusal(code: .invalid, detail: error.detail, clientID: clientID))
        }
        return .success(Frame(action: action, clientID: clientID))
    }

    /// The `agent_event.v1` for this action, stamped with the session's agent.
    public func event(agentID: String, messageID: String, sentAt: String) -> AgentEventV1 {
        switch self {
        case .online: AgentEventV1(messageID: messageID, agentID: agentID, event: .online, sentAt: sentAt)
        case .offline: AgentEventV1(messageID: messageID, agentID: agentID, event: .offline, sentAt: sentAt)
        case .accept(let offer):
            AgentEventV1(messageID: messageID, agentID: agentID, event: .accept, sentAt: sentAt, offerID: offer)
        case .decline(let offer, let reason):
            AgentEventV1(
                messageID: messageID, agentID: agentID, event: .decline, sentAt: sentAt, offerID: offer, reason: reason)
        case .message(let conversation, let text):
            AgentEventV1(
                messageID: messageID, agentID: agentID, event: .message, sentAt: sentAt, conversationID: conversation,
                text: text)
        case .resolve(let conversation, let outcome):
            AgentEventV1(
                messageID: messageID, agentID: agentID, event: .resolve, sentAt: sentAt, conversationID: conversation,
                outcome: outcome)
        case .transfer(let conversation, let skill, let note):
            AgentEventV1(
                messageID: messageID, agentID: agentID, event: .transfer, sentAt: sentAt, conversationID: conversation,
                skill: skill, note: note
            )
        }
    }

    /// The offer or conversation the action is about, which must be the agent's.
    var subject: Subject {
        switch self {
        case .online, .offline: .none
        case .accept(let offer), .decline(let offer, _): .offer(offer)
        case .message(let conversation, _), .resolve(let conversation, _), .transfer(let conversation, _, _):
            .conversation(conversation)
        }
    }

    enum Subject: Hashable {
        case none
        case offer(String)
        case conversation(String)
    }
}
