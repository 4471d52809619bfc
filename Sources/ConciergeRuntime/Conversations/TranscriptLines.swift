public import ConciergeCore
public import ConciergePostgres

/// Lines to add to conversations' transcripts, written in one statement with the transaction's other effects.
///
/// Every worker that adds to a conversation goes through this one statement, which hands out the per-conversation
/// `seq` numbers: it bumps `conversations.transcript_seq` (creating the conversation row if needed, in id order so
/// concurrent writers lock rows in the same order) and inserts the lines numbered after it. The row lock orders
/// writers of one conversation, so sequence numbers follow commit order. A line whose `message_id` is already in a
/// transcript is skipped (a redelivered message adds nothing).
public struct TranscriptLines: Sendable {
    /// Transcript texts are cut to this many characters (customer and agent texts are already limited to 4000).
    public static let maximumTextLength = 4000

    private var conversations: [String] = []
    private var customers: [String] = []
    private var messageIDs: [String] = []
    private var authors: [String] = []
    private var authorIDs: [String?] = []
    private var kinds: [String] = []
    private var texts: [String] = []

    public init() {}

    public var isEmpty: Bool { self.messageIDs.isEmpty }
    public var count: Int { self.messageIDs.count }

    /// Adds a line; `customerID` is the conversation's customer (used only when the conversation row is new).
    public mutating func append(
        conversationID: String, customerID: String, messageID: String, author: TranscriptEntry.Author,
        authorID: String?,
        kind: String, text: String
    ) {
        self.conversations.append(conversationID)
        self.customers.append(customerID)
        self.messageIDs.append(messageID)
        self.authors.append(author.rawValue)
        self.authorIDs.append(authorID)
        self.kinds.append(kind)
        self.texts.append(text.count > Self.maximumTextLength ? String(text.prefix(Self.maximumTextLength)) : text)
    }

    /// Enqueues the insert: it goes out with the transaction's next statement or its COMMIT.
    public func enqueue(in transaction: PostgresTransaction) {
        guard !self.isEmpty else { return }
        transaction.enqueue(Self.insert, self.parameters)
    }

    /// Runs the insert now (when a later statement of the transaction reads the transcript).
    public func write(in transaction: PostgresTransaction) throws {
        guard !self.isEmpty else { return }
        try transaction.execute(Self.insert, self.parameters)
    }

    private var parameters: [any PostgresEncodable] {
        [self.conversations, self.customers, self.messageIDs, self.authors, self.authorIDs, self.kinds, self.texts]
    }

    static let insert = """
        WITH lines AS (
            SELECT u.*, row_number() OVER (PARTITION BY u.conversation_id ORDER BY u.ord)::int AS n
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 WITH ORDINALITY AS u(conversation_id, customer_id, message_id, author, author_id, kind, text, ord)
            WHERE NOT EXISTS (SELECT 1 FROM transcript_entries t WHERE t.message_id = u.message_id)
        ),
        counts AS (
            SELECT conversation_id, min(customer_id) AS customer_id, count(*)::int AS lines FROM lines GROUP BY conversation_id
        ),
        bumped AS (
            INSERT INTO conversations AS c (conversation_id, customer_id, transcript_seq)
            SELECT conversation_id, customer_id, lines FROM counts ORDER BY conversation_id
            ON CONFLICT (conversation_id) DO UPDATE SET transcript_seq = c.transcript_seq + excluded.transcript_seq
            RETURNING c.conversation_id, c.transcript_seq
        )
        INSERT INTO transcript_entries (conversation_id, seq, message_id, author, author_id, kind, text)
        SELECT l.conversation_id, b.transcript_seq - k.lines + l.n, l.message_id, l.author, l.author_id, l.kind, l.text
        FROM lines l JOIN counts k USING (conversation_id) JOIN bumped b USING (conversation_id)
        ON CONFLICT (message_id) DO NOTHING
        """
}
