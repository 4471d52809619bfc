public import ConciergeCore
public import ConciergePostgres
import Foundation

/// Reads conversations' transcripts (`transcript_entries`), in order.
public enum Transcript {
    static let select = """
        SELECT seq, message_id, author, author_id, kind, text, at FROM transcript_entries
        WHERE conversation_id = $1 ORDER BY seq
        """

    /// The whole transcript of a conversation, inside a transaction.
    public static func entries(conversationID: String, in transaction: PostgresTransaction) throws -> [TranscriptEntry]
    {
        try self.entries(from: transaction.query(self.select, [conversationID]))
    }

    /// The whole transcript of a conversation.
    public static func entries(conversationID: String, on connection: PostgresConnection) async throws
        -> [TranscriptEntry]
    {
        try self.entries(from: await connection.query(self.select, [conversationID]))
    }

    static func entries(from result: PostgresResult) throws -> [TranscriptEntry] {
        try result.map { row in
            let author = try row.decode(String.self, named: "author")
            return TranscriptEntry(
                seq: try row.decode(Int.self, named: "seq"),
                messageID: try row.decode(String.self, named: "message_id"),
                author: TranscriptEntry.Author(rawValue: author) ?? .system,
                authorID: try row.decode(String?.self, named: "author_id"),
                kind: try row.decode(String.self, named: "kind"), text: try row.decode(String.self, named: "text"),
                at: Timestamps.format(try row.decode(Date.self, named: "at"))
            )
        }
    }
}
