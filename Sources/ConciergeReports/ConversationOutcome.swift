public import Foundation

/// One conversation as the outcome report sees it: a row of `conversation_outcomes(...)` (migration 0060), decoded by
/// column name.
public struct ConversationOutcome: Sendable, Hashable {
    /// Where the conversation started: the AI lane when its first inquiry was routed to the AI.
    public enum Lane: String, Sendable, Hashable, CaseIterable, Codable {
        case ai, human
    }

    /// What became of it. An AI-answered conversation is `resolved` only when, within the window after the AI's first
    /// answer, the customer neither asked for a person, nor was handed off, nor came back about the same intent in
    /// another conversation; until the window closes it is `pending`.
    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        case resolved, pending, `repeat`
        case handedOff = "handed_off"
        /// Routed to the AI, which sent no answer (only a clarifying question, or nothing yet) and handed nothing off.
        case unanswered
        /// Started in the human lane.
        case human
    }

    public var conversationID: String
    public var customerID: String
    public var lane: Lane
    public var intent: String?
    public var language: String
    public var startedAt: Date
    public var aiAnswered: Bool
    public var outcome: Outcome
    public var handoffReason: String?
    public var repeatContact: Bool
    public var firstResponseMilliseconds: Int64?
    public var resolutionMilliseconds: Int64?
    public var humanWaitMilliseconds: Int64?
    public var slaBreached: Bool
    public var csat: Int?

    public init(
        conversationID: String, customerID: String, lane: Lane, intent: String?, language: String, startedAt: Date,
        aiAnswered: Bool, outcome: Outcome, handoffReason: String?, repeatContact: Bool,
        firstResponseMilliseconds: Int64?, resolutionMilliseconds: Int64?, humanWaitMilliseconds: Int64?,
        slaBreached: Bool, csat: Int?
    ) {
        self.conversationID = conversationID
        self.customerID = customerID
        self.lane = lane
        self.intent = intent
        self.language = language
        self.startedAt = startedAt
        self.aiAnswered = aiAnswered
        self.outcome = outcome
        self.handoffReason = handoffReason
        self.repeatContact = repeatContact
        self.firstResponseMilliseconds = firstResponseMilliseconds
        self.resolutionMilliseconds = resolutionMilliseconds
        self.humanWaitMilliseconds = humanWaitMilliseconds
        self.slaBreached = slaBreached
        self.csat = csat
    }
}
