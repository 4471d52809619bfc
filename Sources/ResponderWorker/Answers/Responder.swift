public import ConciergeCore
public import ConciergeIntents

/// The built-in responder: decides, for one AI-routed inquiry, between an answer grounded in the customer's facts or
/// a knowledge article, a clarifying question, and a handoff to a person. Pure: no I/O, no clock.
///
/// Handoff rules, in order: the inquiry is not AI-routed or sensitive (`misrouted`); the conversation is already with
/// a person or the AI answered it `maximumRepliesPerConversation` times (`already_with_human`); the customer says a
/// previous AI answer did not help (`not_helped`); no or an unanswerable intent (`unknown_intent`); then the
/// answerer's own verdict: no matching facts (`no_facts`), still ambiguous after one clarifying question
/// (`ambiguous_facts`), facts that contradict the customer (`needs_investigation`), no article scoring at least
/// `minimumArticleScore` (`low_retrieval_score`).
public struct Responder: Sendable {
    /// The intent catalog: its `answer:` kinds say how each intent may be answered.
    public var catalog: IntentCatalog
    public var knowledge: KnowledgeBase
    /// The languages it answers in; an inquiry in any other is answered in `languages.fallback`.
    public var languages: ReplyLanguages
    public var account: AccountAnswerer
    public var dissatisfaction: DissatisfactionDetector
    public var minimumArticleScore: Double
    public var maximumRepliesPerConversation: Int

    public init(
        catalog: IntentCatalog, knowledge: KnowledgeBase, languages: ReplyLanguages,
        account: AccountAnswerer = AccountAnswerer(),
        dissatisfaction: DissatisfactionDetector? = nil, minimumArticleScore: Double = 3.5,
        maximumRepliesPerConversation: Int = 3
    ) {
        self.catalog = catalog
        self.knowledge = knowledge
        self.languages = languages
        self.account = account
        self.dissatisfaction = dissatisfaction ?? DissatisfactionDetector(languages: languages)
        self.minimumArticleScore = minimumArticleScore
        self.maximumRepliesPerConversation = maximumRepliesPerConversation
    }

    public func respond(to routed: RoutedInquiryV1, facts: CustomerFacts, history: ConversationHistory)
        -> ResponderOutcome
    {
        let decision = routed.decision
        let text = routed.inquiry.text
        let language = self.languages.language(for: decision.language)
        func handoff(_ reason: HandoffReason, _ detail: String, _ facts: [HandoffSummary.Fact] = []) -> ResponderOutcome
        {
            .handoff(.init(reason: reason, detail: detail, facts: facts))
        }

        guard decision.route == .ai, !decision.sensitive else {
            return handoff(
                .misrouted,
                "the inquiry was routed \(decision.route.rawValue)\(decision.sensitive ? " and is sensitive" : "")")
        }
        if history.handedOff {
            return handoff(.alreadyWithHuman, "the conversation is with a person")
        }
        if history.replies.count >= self.maximumRepliesPerConversation {
            return handoff(
                .alreadyWithHuman, "the AI already replied \(history.replies.count) times in this conversation")
        }
        if !history.replies.isEmpty && self.dissatisfaction.isDissatisfied(text) {
            return handoff(.notHelped, "the customer says the previous AI answer did not help")
        }
        // A reply to a clarifying question keeps the intent of the question it answers.
        let lastClarification = history.replies.last.flatMap { $0.kind == "clarification" ? $0 : nil }
        guard let intent = lastClarification?.intent ?? decision.intent, let kind = self.catalog[intent]?.answer else {
            return handoff(.unknownIntent, "the classifier gave no intent the responder knows")
        }

        switch kind {
        case .none:
            return handoff(.unknownIntent, "intent \(intent) is answered by people only")
        case .account, .accountOrHowto:
            guard AccountAnswerer.intents.contains(intent) else {
                return handoff(.unknownIntent, "no account template for intent \(intent)")
            }
            switch self.account.answer(intent: intent, text: text, facts: facts, language: language) {
            case .answer(let answer, let used):
                return .reply(.init(intent: intent, kind: "answer", text: answer, facts: used, articleID: nil))
            case .clarify(let candidates):
                if lastClarification != nil {
                    return handoff(
                        .ambiguousFacts, "\(candidates.count) purchases still match after a clarifying question",
                        candidates.map(\.fact))
                }
                return .reply(
                    .init(
                        intent: intent, kind: "clarification",
                        text: ReplyPhrases(language: language).clarify(candidates),
                        facts: candidates.map(\.fact), articleID: nil
                    )
                )
            case .handoff(let reason, let detail, let used):
                return handoff(reason, detail, used)
            case .general where kind == .accountOrHowto:
                return self.article(intent: intent, text: text, language: language)
            case .general:
                return handoff(.unknownIntent, "intent \(intent) needs a purchase and the catalog gives it no article")
            }
        case .howto:
            return self.article(intent: intent, text: text, language: language)
        }
    }

    /// The answer from the best knowledge article for the intent in the language, or a hand-off when none scores
    /// `minimumArticleScore`.
    func article(intent: String, text: String, language: ReplyLanguage) -> ResponderOutcome {
        guard let best = self.knowledge.search(text, language: language.code, intent: intent, limit: 1).first,
            best.score >= self.minimumArticleScore
        else {
            let top = self.knowledge.search(text, language: language.code, intent: intent, limit: 1).first
            return .handoff(
                .init(
                    reason: .lowRetrievalScore,
                    detail: "no \(language.code) article scores \(self.minimumArticleScore) or more"
                        + (top.map { " (best: \($0.article.id) at \(Self.rounded($0.score)))" } ?? " (no match)"),
                    facts: []
                )
            )
        }
        let fact = HandoffSummary.Fact(
            kind: "article", id: best.article.id, summary: "\(best.article.title) (score \(Self.rounded(best.score)))")
        return .reply(
            .init(
                intent: intent, kind: "answer", text: ReplyPhrases(language: language).article(best), facts: [fact],
                articleID: best.article.id)
        )
    }

    static func rounded(_ value: Double) -> String {
        let scaled = Int((value * 100).rounded())
        return "\(scaled / 100).\(scaled % 100 < 10 ? "0" : "")\(scaled % 100)"
    }

    /// The agent-facing summary of a handoff.
    public static func summary(
        routed: RoutedInquiryV1, handoff: ResponderOutcome.Handoff, facts: CustomerFacts, history: ConversationHistory
    ) -> HandoffSummary {
        let intent = routed.decision.intent ?? "unknown"
        var lines = [
            "AI handoff (\(handoff.reason.rawValue)): \(handoff.detail).",
            "Intent: \(intent) (confidence \(rounded(routed.decision.confidence))), language \(routed.decision.language), channel \(routed.inquiry.channel).",
            "Customer \(routed.inquiry.customerID) has \(facts.purchases.count) purchase\(facts.purchases.count == 1 ? "" : "s") on record.",
        ]
        if !history.replies.isEmpty {
            lines.append(
                "The AI replied \(history.replies.count) time\(history.replies.count == 1 ? "" : "s") earlier in this conversation."
            )
        }
        let used = handoff.facts.isEmpty ? facts.purchases.prefix(5).map(\.fact) : handoff.facts
        return HandoffSummary(
            reason: handoff.reason.rawValue, summary: lines.joined(separator: " "), facts: used,
            aiReply: history.replies.last?.text
        )
    }
}
