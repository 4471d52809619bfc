import ConciergeCore
import Foundation

/// Frames the gateway sends to a tab (JSON text). Contract messages travel as they were validated (`body`); the
/// page shows every string in them as text.
enum ServerFrame {
    private struct Simple: Encodable {
        var type: String
        var code: String?
        var detail: String?
        var clientID: String?
        var event: String?
        var messageID: String?
        var online: Bool?
        var agentID: String?
        var surge: String?
        var load: Int?
        var capacity: Int?

        enum CodingKeys: String, CodingKey {
            case type, code, detail, event, online, surge, load, capacity
            case clientID = "client_id", messageID = "message_id", agentID = "agent_id"
        }
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{\"type\":\"error\",\"code\":\"internal\"}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A contract message: `{"type": type, "body": <the contract JSON>}`.
    static func contract(_ type: String, _ message: some MessageContract) -> String {
        "{\"type\":\"\(type)\",\"body\":" + String(decoding: message.encodedBody(), as: UTF8.self) + "}"
    }

    static func error(_ code: String, _ detail: String, clientID: String? = nil) -> String {
        encode(Simple(type: "error", code: code, detail: detail, clientID: clientID))
    }

    static func sent(event: String, messageID: String, clientID: String?) -> String {
        encode(Simple(type: "sent", clientID: clientID, event: event, messageID: messageID))
    }

    static func presence(online: Bool, surge: String?, load: Int?, capacity: Int?) -> String {
        encode(Simple(type: "presence", online: online, surge: surge, load: load, capacity: capacity))
    }

    static func hello(agentID: String) -> String {
        encode(Simple(type: "hello", agentID: agentID))
    }

    static func conversation(_ held: AgentReads.HeldConversation) -> String {
        struct Frame: Encodable {
            var type = "conversation"
            var body: AgentReads.HeldConversation
        }
        return encode(Frame(body: held))
    }
}
