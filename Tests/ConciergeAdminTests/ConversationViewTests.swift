import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// `conversation show`: the header and transcript read from the real database, and how they print.
@Suite(.enabled(if: TestServices.enabled))
struct ConversationViewTests {
    static func database() async throws -> PostgresConnection {
        let logger = Logger(label: "test.conversation-view")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        return database
    }

    @Test func aConversationWithItsTranscriptInOrder() async throws {
        let database = try await Self.database()
        let id = TestServices.uniqueName("conv-view")
        _ = try await database.query(
            "INSERT INTO conversations (conversation_id, customer_id, status, assigned_agent_id) VALUES ($1, 'cus_view', 'assigned', 'agent_7')",
            [id]
        )
        _ = try await database.query(
            """
            INSERT INTO transcript_entries (conversation_id, seq, message_id, author, author_id, kind, text, at) VALUES
                ($1, 2, $1 || '-2', 'agent', 'agent_7', 'message', 'Happy to help.', timestamptz '2026-12-01 10:00:05Z'),
                ($1, 1, $1 || '-1', 'customer', 'cus_view', 'message', 'Where is my refund?', timestamptz '2026-12-01 10:00:00Z')
            """,
            [id]
        )
        let view = try #require(try await ConversationView.load(conversationID: id, on: database))
        await database.close()
        #expect(view.status == "assigned")
        #expect(view.customerID == "cus_view")
        #expect(view.channel == "")
        #expect(view.assignedAgentID == "agent_7")
        #expect(view.transcript.map(\.seq) == [1, 2])
        let lines = view.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "conversation \(id): assigned, customer cus_view, channel , agent agent_7")
        #expect(lines[1] == "  1  10:00:00  customer                       Where is my refund?")
        #expect(lines[2] == "  2  10:00:05  agent agent_7                  Happy to help.")
        let json = try view.json()
        #expect(json.contains("\"assigned_agent_id\" : \"agent_7\""))
        #expect(json.contains("\"conversation_id\" : \"\(id)\""))
    }

    @Test func anUnknownConversationIsNil() async throws {
        let database = try await Self.database()
        let view = try await ConversationView.load(conversationID: TestServices.uniqueName("missing"), on: database)
        await database.close()
        #expect(view == nil)
    }

    /// A 30-character column for who wrote it, never cut: a longer agent id pushes the text right.
    @Test func aLongAuthorIsNotTruncated() {
        let long = String(repeating: "a", count: 40)
        let view = ConversationView(
            conversationID: "c", status: "resolved", customerID: "x", channel: "chat", assignedAgentID: nil,
            transcript: [
                TranscriptEntry(
                    seq: 1, messageID: "m", author: .agent, authorID: long, kind: "note", text: "t",
                    at: "2026-12-01T10:00:00Z")
            ]
        )
        #expect(
            view.text == "conversation c: resolved, customer x, channel chat\n  1  10:00:00  agent \(long) [note] t")
    }
}
