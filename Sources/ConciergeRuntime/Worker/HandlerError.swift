/// A permanent failure reported by a handler: the message can never be applied and goes to the dead-letter queue.
public struct HandlerError: Error, Sendable, CustomStringConvertible {
    /// Why a handler refused a message: a closed set, used as the dead-letter reason header and a metric dimension,
    /// so every reason an operator can see is listed here, once.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        public var description: String { self.rawValue }

        // Responder.
        /// The customer's account facts hold a currency or date the responder cannot read.
        public static let unreadableFacts = Code("unreadable_facts")

        // Escalation: agent events and feedback.
        /// The event names an agent that does not exist.
        public static let unknownAgent = Code("unknown_agent")
        /// The event answers an offer that does not exist.
        public static let unknownOffer = Code("unknown_offer")
        /// The event answers an offer made to another agent.
        public static let notYourOffer = Code("not_your_offer")
        /// The offer and its escalation disagree (a pending offer whose escalation is not on offer, or not held).
        public static let inconsistentOffer = Code("inconsistent_offer")
        /// The event or rating is about a conversation the agent does not (or did not) handle.
        public static let notAssigned = Code("not_assigned")
        /// The rating's customer is not the conversation's customer.
        public static let notYourConversation = Code("not_your_conversation")
        /// A rating of a conversation that is not resolved.
        public static let notResolved = Code("not_resolved")
        /// A rating after the rating window closed.
        public static let ratingWindowClosed = Code("rating_window_closed")
        /// A second rating of the same conversation.
        public static let alreadyRated = Code("already_rated")

        // Payout.
        /// No rate card covers the resolution's market at its time.
        public static let noRateCard = Code("no_rate_card")
        /// The resolution names an assignment the escalation records do not hold.
        public static let unknownAssignment = Code("unknown_assignment")
        /// The resolution's figures contradict the escalation records.
        public static let eventMismatch = Code("event_mismatch")

        /// Every code, for documentation and tests.
        public static let all: [Code] = [
            .unreadableFacts, .unknownAgent, .unknownOffer, .notYourOffer, .inconsistentOffer, .notAssigned,
            .notYourConversation, .notResolved, .ratingWindowClosed, .alreadyRated, .noRateCard, .unknownAssignment,
            .eventMismatch,
        ]
    }

    public var code: Code
    /// What was wrong, safe to log (no customer text).
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func rejected(_ code: Code, _ detail: String) -> HandlerError {
        HandlerError(code, detail)
    }

    public var description: String { "\(self.code): \(self.detail)" }
}
