/// An LLM phrasing of a built-in answer that passed the grounding guard, carried from `prepare` to `apply`.
public struct LLMDraft: Sendable, Hashable {
    /// The text for the customer.
    public var text: String
    /// The built-in reply it rephrases; `apply` uses `text` only if the facts it reloads produce this same reply.
    public var reference: ResponderOutcome.Reply

    public init(text: String, reference: ResponderOutcome.Reply) {
        self.text = text
        self.reference = reference
    }
}
