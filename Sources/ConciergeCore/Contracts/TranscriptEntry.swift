/// One line of a conversation's transcript: a customer message, an AI reply, an agent message or a system event,
/// numbered per conversation (`seq` 1, 2, 3, … in the order the fleet committed them). Carried by `assignment.v1`
/// (the transcript so far) and stored in `transcript_entries`.
public struct TranscriptEntry: Codable, Sendable, Hashable {
    /// Who wrote it.
    public enum Author: String, Codable, Sendable, CaseIterable {
        case customer, ai, agent, system
    }

    public var seq: Int
    /// The message this line records (idempotency key): an inquiry id, a reply id, an agent event id, or a derived
    /// system event id such as `<escalation_id>.offer.2`.
    public var messageID: String
    public var author: Author
    /// The customer id, agent id, `ai`, or the worker that wrote a system line.
    public var authorID: String?
    /// `message`, `clarification` (AI), or a system event: `routed`, `handed_off`, `waiting`, `offered`, `assigned`,
    /// `released`, `transferred`, `nudged`, `resolved`, `rated`, `reopened`.
    public var kind: String
    /// The text (messages), or a short description of the event. Never longer than 4000 characters.
    public var text: String
    /// RFC 3339, the database's clock when the line was written.
    public var at: String

    public init(seq: Int, messageID: String, author: Author, authorID: String?, kind: String, text: String, at: String)
    {
        self.seq = seq
        self.messageID = messageID
        self.author = author
        self.authorID = authorID
        self.kind = kind
        self.text = text
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case seq
        case messageID = "message_id"
        case author
        case authorID = "author_id"
        case kind, text, at
    }
}
