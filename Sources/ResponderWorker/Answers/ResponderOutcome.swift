public import ConciergeCore

/// What the responder decided for one inquiry.
public enum ResponderOutcome: Sendable, Hashable {
    /// A message to the customer.
    case reply(Reply)
    /// The inquiry goes to a person.
    case handoff(Handoff)

    public struct Reply: Sendable, Hashable {
        public var intent: String
        /// `answer` or `clarification`.
        public var kind: String
        public var text: String
        public var facts: [HandoffSummary.Fact]
        /// The knowledge article the answer cites, if any.
        public var articleID: String?

        public init(intent: String, kind: String, text: String, facts: [HandoffSummary.Fact], articleID: String?) {
            self.intent = intent
            self.kind = kind
            self.text = text
            self.facts = facts
            self.articleID = articleID
        }
    }

    public struct Handoff: Sendable, Hashable {
        public var reason: HandoffReason
        /// A sentence for the agent on what was found (no customer text).
        public var detail: String
        public var facts: [HandoffSummary.Fact]
    }
}
