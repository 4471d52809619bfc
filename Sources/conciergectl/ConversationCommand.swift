import ArgumentParser
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation

/// `conciergectl conversation show ID [--json]`: a conversation's state and its whole transcript, in order.
struct ConversationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversation", abstract: "Inspect conversations.", subcommands: [ConversationShowCommand.self]
    )
}

struct ConversationShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a conversation's transcript.")

    @Argument(help: "The conversation id.") var id: String
    @Flag(help: "JSON: {conversation_id, status, customer_id, channel, assigned_agent_id, transcript: [...]}.") var json = false

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-conversation"), logger: context.logger
        )
        let header = try await database.query(
            "SELECT status, customer_id, coalesce(channel, ''), assigned_agent_id FROM conversations WHERE conversation_id = $1", [self.id]
        )
        guard let row = header.first else {
            await database.close()
            print("conversation: no conversation \(self.id)")
            throw ExitCode(2)
        }
        let entries = try await Transcript.entries(conversationID: self.id, on: database)
        await database.close()
        let show = Shown(
            conversationID: self.id, status: try row.decode(String.self, at: 0), customerID: try row.decode(String.self, at: 1),
            channel: try row.decode(String.self, at: 2), assignedAgentID: try row.decode(String?.self, at: 3), transcript: entries
        )
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            print(String(decoding: try encoder.encode(show), as: UTF8.self))
        } else {
            print(show.text)
        }
    }

    struct Shown: Encodable {
        var conversationID: String
        var status: String
        var customerID: String
        var channel: String
        var assignedAgentID: String?
        var transcript: [TranscriptEntry]

        enum CodingKeys: String, CodingKey {
            case conversationID = "conversation_id"
            case status
            case customerID = "customer_id"
            case channel
            case assignedAgentID = "assigned_agent_id"
            case transcript
        }

        /// One header line, then one line per transcript entry: seq, time, who, what, text.
        var text: String {
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
}
