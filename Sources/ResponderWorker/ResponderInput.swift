public import ConciergeCore

/// The responder's input: the routed inquiry, plus the LLM's grounded phrasing of its answer when `prepare` got one.
public struct ResponderInput: Sendable, Hashable {
    public var routed: RoutedInquiryV1
    public var draft: LLMDraft?

    public init(routed: RoutedInquiryV1, draft: LLMDraft? = nil) {
        self.routed = routed
        self.draft = draft
    }
}
