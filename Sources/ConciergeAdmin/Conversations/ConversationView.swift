public import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime
import Foundation

/// `conciergectl conversation show`: a conversation's state and its whole transcript, as text or JSON.
public struct ConversationView: Sendable, Encodable {
    public var conversationID: String
    public var status: String
    public var customerID: String
    public var channel: String
    public var assignedAgentID: String?
    public var transcript: [TranscriptEntry]

    public init(
        conversationID: String, status: String, customerID: String, channel: String, assignedAgentID: String?,
        transcript: [TranscriptEntry]
    ) {
        self.conversationID = conversationID
        self.status = status
        self.customerID = customerID
        self.channel = channel
        self.assignedAgentID = assignedAgentID
        self.transcript = transcript
    }

    /// The conversation's state and whole transcript, in order; nil when there is no such conversation.
    public static func load(conversationID: String, on database: PostgresConnection) async throws -> ConversationView? {
        let header = try await database.query(
            "SELECT status, customer_id, coalesce(channel, '') AS channel, assigned_agent_id FROM conversations WHERE conversation_id = $1",
            [conversationID]
        )
        guard let row = header.first else { return nil }
        let entries = try await Transcript.entries(conversationID: conversationID, on: database)
        return ConversationView(
            conversationID: conversationID, status: try row.decode(named: "status"),
            customerID: try row.decode(named: "customer_id"),
            channel: try row.decode(named: "channel"), assignedAgentID: try row.decode(named: "assigned_agent_id"),
            transcript: entries
        )
    }

    /// Pretty-printed JSON with sorted keys: {conversation_id, status, customer_id, channel, assigned_agent_id, transcript: [...]}.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case status
        case customerID = "customer_id"
        case channel
        case assignedAgentID = "assigned_agent_id"
        case transcript
    }

    /// One header line, then one line per transcript entry: seq, time, who, what, text.
    public var text: String {
        var lines = [
            "conversation \(self.conversationID): \(self.status), customer \(self.customerID), channel \(self.channel)"
                + (self.assignedAgentID.map { ", agent \($0)" } ?? "")
        ]
        for entry in self.transcript {
            let time = entry.at.split(separator: "T").last.map { String($0.prefix(8)) } ?? entry.at
            let who: String
            switch entry.author {
            case .customer: who = "customer"
            case .ai: who = "AI"
            case .agent: who = "agent \(entry.authorID ?? "")"
            case .system: who = "system"
            }
            let kind = entry.kind == "message" ? "" : "[\(entry.kind)] "
            // Padded to a 30-character column, never cut: `padding(toLength:)` would truncate a longer agent id.
            let column = who + String(repeating: " ", count: max(0, 30 - who.count))
            lines.append("\(String(format: "%3d", entry.seq))  \(time)  \(column) \(kind)\(entry.text)")
        }
        return lines.joined(separator: "\n")
    }
}
