/// What the AI lane already did in an inquiry's conversation.
public struct ConversationHistory: Sendable, Hashable {
    /// A reply the AI sent earlier in the conversation.
    public struct PriorReply: Sendable, Hashable {
        public var inquiryID: String
        public var intent: String
        /// `answer` or `clarification`.
        public var kind: String
        public var text: String

        public init(inquiryID: String, intent: String, kind: String, text: String) {
            self.inquiryID = inquiryID
            self.intent = intent
            self.kind = kind
            self.text = text
        }
    }

    /// Oldest first.
    public var replies: [PriorReply]
    /// The conversation is with the human lane (waiting, on offer or assigned to a person).
    public var handedOff: Bool

    public init(replies: [PriorReply] = [], handedOff: Bool = false) {
        self.replies = replies
        self.handedOff = handedOff
    }
}
