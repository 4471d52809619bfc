/// What an agent needs when the AI lane hands a conversation over: why, a short summary, the account facts the AI
/// looked up and what it had said. Carried by `handoff.v1` and, optionally, by the `routed_inquiry.v1` the AI
/// responder publishes to the human lane.
public struct HandoffSummary: Codable, Sendable, Hashable {
    /// One fact the AI looked up: a purchase, instalment, payment, refund or knowledge article.
    public struct Fact: Codable, Sendable, Hashable {
        /// `purchase`, `instalment`, `payment`, `refund` or `article`.
        public var kind: String
        /// The record's id (`purchase_id`, `<plan_id>#<sequence>`, `payment_id`, `refund_id`, article id).
        public var id: String
        /// A one-line description for an agent, e.g. "Zalando ZL-448812, 149.97 EUR on 2026-03-03, active".
        public var summary: String

        public init(kind: String, id: String, summary: String) {
            self.kind = kind
            self.id = id
            self.summary = summary
        }
    }

    /// A bounded reason: `no_facts`, `ambiguous_facts`, `low_retrieval_score`, `unknown_intent`, `not_helped`,
    /// `billing_discrepancy`, `already_with_human`, `misrouted`.
    public var reason: String
    /// A few sentences for the agent: intent, what was looked up, why the AI stopped.
    public var summary: String
    /// The facts the AI looked up (may be empty).
    public var facts: [Fact]
    /// The AI's last reply in the conversation, when there was one.
    public var aiReply: String?

    public init(reason: String, summary: String, facts: [Fact], aiReply: String?) {
        self.reason = reason
        self.summary = summary
        self.facts = facts
        self.aiReply = aiReply
    }

    enum CodingKeys: String, CodingKey {
        case reason, summary, facts
        case aiReply = "ai_reply"
    }
}
