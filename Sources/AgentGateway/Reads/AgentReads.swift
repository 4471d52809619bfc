public import ConciergeCore
public import ConciergePostgres
import Foundation

/// What the gateway reads from the fleet's database (it writes nothing but sessions and credentials): who owns an
/// offer or a conversation, the agent's current offer and conversations for a (re)connecting tab, presence, surge,
/// earnings. Every query names its columns and decodes them by name.
public struct AgentReads: Sendable {
    public let database: PostgresConnection

    public init(database: PostgresConnection) {
        self.database = database
    }

    // MARK: Ownership (an event for another agent's offer or conversation is refused)

    /// Whether the offer was made to this agent (any state: a late answer is the escalation worker's to judge).
    public func offerBelongs(_ offerID: String, to agentID: String) async throws -> Bool {
        try await self.database.query("SELECT 1 FROM offers WHERE offer_id = $1 AND agent_id = $2", [offerID, agentID])
            .count == 1
    }

    /// Whether the agent holds the conversation (an active assignment).
    public func conversationHeld(_ conversationID: String, by agentID: String) async throws -> Bool {
        try await self.database.query(
            "SELECT 1 FROM assignments WHERE conversation_id = $1 AND agent_id = $2 AND state = 'active'",
            [conversationID, agentID]
        ).count == 1
    }

    // MARK: The agent

    public struct Profile: Sendable, Hashable {
        public var agentID: String
        public var displayName: String?
        public var market: String
        public var capacity: Int
        public var activeConversations: Int
        public var online: Bool
        public var ratingSum: Int
        public var ratingCount: Int
        /// The highest surge in the agent's market's offers of the last 5 minutes (basis points), if any.
        public var surgeBasisPoints: Int?
    }

    public func profile(_ agentID: String) async throws -> Profile? {
        let rows = try await self.database.query(
            """
            SELECT a.agent_id, coalesce(a.display_name, c.display_name) AS display_name, a.market, a.capacity,
                   a.active_conversations, a.presence = 'online' AS online, a.rating_sum, a.rating_count,
                   (SELECT max(o.surge_bp) FROM offers o JOIN escalations e USING (escalation_id)
                    WHERE e.market = a.market AND o.offered_at > now() - interval '5 minutes') AS surge_bp
            FROM agents a LEFT JOIN customers c USING (customer_id)
            WHERE a.agent_id = $1
            """,
            [agentID]
        )
        guard let row = rows.first else { return nil }
        return Profile(
            agentID: try row.decode(String.self, named: "agent_id"),
            displayName: try row.decode(String?.self, named: "display_name"),
            market: try row.decode(String.self, named: "market"),
            capacity: try row.decode(Int.self, named: "capacity"),
            activeConversations: try row.decode(Int.self, named: "active_conversations"),
            online: try row.decode(Bool.self, named: "online"),
            ratingSum: try row.decode(Int.self, named: "rating_sum"),
            ratingCount: try row.decode(Int.self, named: "rating_count"),
            surgeBasisPoints: try row.decode(Int?.self, named: "surge_bp")
        )
    }

    /// Which of these agents the escalation worker has online.
    public func online(_ agentIDs: [String]) async throws -> Set<String> {
        guard !agentIDs.isEmpty else { return [] }
        let rows = try await self.database.query(
            "SELECT agent_id FROM agents WHERE agent_id = ANY($1::text[]) AND presence = 'online'", [agentIDs]
        )
        return Set(try rows.map { try $0.decode(String.self, named: "agent_id") })
    }

    // MARK: The state a (re)connecting tab starts from

    /// The agent's pending, unexpired offers, rebuilt as `offer.v1` from the database (the preview is the first
    /// customer line of the transcript).
    public func pendingOffers(_ agentID: String) async throws -> [OfferV1] {
        let rows = try await self.database.query(
            """
            SELECT o.offer_id, o.escalation_id, e.conversation_id, o.attempt, e.service_class, e.priority, e.vip, e.language,
                   e.skills, e.intent, e.complexity, o.surge_bp, o.pay_minor, o.pay_currency, o.pay_model, o.pay_rate_per_hour_minor,
                   to_char(o.offered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS offered_at,
                   to_char(o.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at,
                   extract(epoch FROM (o.offered_at - e.enqueued_at))::int AS waited_seconds,
                   (SELECT left(t.text, 140) FROM transcript_entries t
                    WHERE t.conversation_id = e.conversation_id AND t.author = 'customer' ORDER BY t.seq LIMIT 1) AS preview
            FROM offers o JOIN escalations e USING (escalation_id)
            WHERE o.agent_id = $1 AND o.state = 'pending' AND o.expires_at > now()
            ORDER BY o.offered_at
            """,
            [agentID]
        )
        return try rows.map { row in
            var offer = OfferV1(
                offerID: try row.decode(String.self, named: "offer_id"),
                escalationID: try row.decode(String.self, named: "escalation_id"),
                conversationID: try row.decode(String.self, named: "conversation_id"),
                agentID: agentID,
                attempt: try row.decode(Int.self, named: "attempt"),
                serviceClass: try row.decode(String.self, named: "service_class"),
                priority: Priority(rawValue: try row.decode(String.self, named: "priority")) ?? .normal,
                vip: try row.decode(Bool.self, named: "vip"),
                language: try row.decode(String.self, named: "language"),
                skills: try row.decode([String].self, named: "skills"),
                intent: try row.decode(String?.self, named: "intent"),
                complexity: try row.decode(String.self, named: "complexity"),
                surgeMultiplierBasisPoints: try row.decode(Int.self, named: "surge_bp"),
                offeredAt: try row.decode(String.self, named: "offered_at"),
                expiresAt: try row.decode(String.self, named: "expires_at")
            )
            offer.preview = try row.decode(String?.self, named: "preview")
            offer.waitedSeconds = try row.decode(Int?.self, named: "waited_seconds")
            if let amount = try row.decode(Int64?.self, named: "pay_minor"),
                let currency = try row.decode(String?.self, named: "pay_currency")
            {
                offer.pay = OfferV1.Pay(
                    amountMinor: amount, currency: currency,
                    model: try row.decode(String?.self, named: "pay_model") ?? "per_resolution",
                    rateCardVersion: "", ratePerHourMinor: try row.decode(Int64?.self, named: "pay_rate_per_hour_minor")
                )
            }
            return offer
        }
    }

    /// A conversation the agent holds, with its transcript so far.
    public struct HeldConversation: Sendable, Hashable, Encodable {
        public var assignmentID: String
        public var conversationID: String
        public var customerName: String?
        public var market: String?
        public var vip: Bool
        public var transcript: [TranscriptEntry]

        enum CodingKeys: String, CodingKey {
            case assignmentID = "assignment_id", conversationID = "conversation_id", customerName = "customer_name",
                market, vip
            case transcript
        }
    }

    /// The agent's active conversations with their transcripts (for a tab that connects or reconnects).
    public func heldConversations(_ agentID: String) async throws -> [HeldConversation] {
        let assignments = try await self.database.query(
            """
            SELECT s.assignment_id, s.conversation_id, split_part(c.display_name, ' ', 1) AS customer_name, c.market,
                   coalesce(c.tier = 'vip', false) AS vip
            FROM assignments s LEFT JOIN customers c USING (customer_id)
            WHERE s.agent_id = $1 AND s.state = 'active' ORDER BY s.assigned_at
            """,
            [agentID]
        )
        var held: [HeldConversation] = []
        for row in assignments {
            let conversationID = try row.decode(String.self, named: "conversation_id")
            held.append(
                HeldConversation(
                    assignmentID: try row.decode(String.self, named: "assignment_id"), conversationID: conversationID,
                    customerName: try row.decode(String?.self, named: "customer_name"),
                    market: try row.decode(String?.self, named: "market"),
                    vip: try row.decode(Bool.self, named: "vip"), transcript: try await self.transcript(conversationID)
                )
            )
        }
        return held
    }

    /// The conversation an accepted offer became, if the agent holds it now.
    public func heldConversation(offerID: String, agentID: String) async throws -> HeldConversation? {
        let rows = try await self.database.query(
            """
            SELECT s.assignment_id, s.conversation_id, split_part(c.display_name, ' ', 1) AS customer_name, c.market,
                   coalesce(c.tier = 'vip', false) AS vip
            FROM assignments s LEFT JOIN customers c USING (customer_id)
            WHERE s.offer_id = $1 AND s.agent_id = $2 AND s.state = 'active'
            """,
            [offerID, agentID]
        )
        guard let row = rows.first else { return nil }
        let conversationID = try row.decode(String.self, named: "conversation_id")
        return HeldConversation(
            assignmentID: try row.decode(String.self, named: "assignment_id"), conversationID: conversationID,
            customerName: try row.decode(String?.self, named: "customer_name"),
            market: try row.decode(String?.self, named: "market"),
            vip: try row.decode(Bool.self, named: "vip"), transcript: try await self.transcript(conversationID)
        )
    }

    public func transcript(_ conversationID: String) async throws -> [TranscriptEntry] {
        try await self.database.query(
            """
            SELECT seq, message_id, author, author_id, kind, text,
                   to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
            FROM transcript_entries WHERE conversation_id = $1 ORDER BY seq
            """,
            [conversationID]
        ).map { row in
            TranscriptEntry(
                seq: try row.decode(Int.self, named: "seq"),
                messageID: try row.decode(String.self, named: "message_id"),
                author: TranscriptEntry.Author(rawValue: try row.decode(String.self, named: "author")) ?? .system,
                authorID: try row.decode(String?.self, named: "author_id"),
                kind: try row.decode(String.self, named: "kind"),
                text: try row.decode(String.self, named: "text"), at: try row.decode(String.self, named: "at")
            )
        }
    }
}
