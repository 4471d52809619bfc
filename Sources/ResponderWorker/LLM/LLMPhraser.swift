import ConciergeCore
public import Logging

/// Asks the LLM backend to phrase built-in account answers and keeps only phrasings whose amounts, dates and
/// references all appear in the facts or the built-in answer (`GroundingGuard`).
public struct LLMPhraser: Sendable {
    /// Concurrent LLM calls per batch.
    static let concurrency = 4

    let client: ChatCompletionsClient
    let metrics = LLMMetrics()
    let logger: Logger

    public init(configuration: LLMConfiguration, logger: Logger) {
        self.client = ChatCompletionsClient(configuration: configuration, logger: logger)
        self.logger = logger
    }

    /// Whether the LLM is asked to phrase this outcome: answers from account facts only (not clarifying questions,
    /// not knowledge articles, not handoffs).
    static func wants(_ outcome: ResponderOutcome) -> ResponderOutcome.Reply? {
        guard case .reply(let reply) = outcome, reply.kind == "answer", reply.articleID == nil else { return nil }
        return reply
    }

    /// The grounded phrasing of `reply`, or nil (LLM failed, or invented a value). `vocabulary`: the month names and
    /// currency words of the responder's reply languages.
    func draft(
        question: String, reply: ResponderOutcome.Reply, language: ReplyLanguage, inquiryID: String,
        vocabulary: StatedValueVocabulary
    ) async -> LLMDraft? {
        let text: String
        do {
            text = try await self.client.complete(
                LLMPrompt.messages(question: question, reply: reply, language: language))
        } catch {
            self.metrics.record(.failed)
            self.logger.warning(
                "LLM gave no answer; using the built-in one",
                metadata: ["message.id": "\(inquiryID)", "llm.error": "\(error)"])
            return nil
        }
        let invented = GroundingGuard(sources: reply.facts.map(\.summary) + [reply.text], vocabulary: vocabulary)
            .ungrounded(in: text)
        guard invented.isEmpty else {
            self.metrics.record(.rejectedInvented)
            self.logger.warning(
                "LLM answer states values not in the facts; using the built-in one",
                metadata: ["message.id": "\(inquiryID)", "llm.invented": "\(invented.count)"]
            )
            return nil
        }
        return LLMDraft(text: text, reference: reply)
    }

    /// Drafts for the given requests (index → draft), at most `concurrency` calls at a time.
    func drafts(
        _ requests: [(
            index: Int, question: String, reply: ResponderOutcome.Reply, language: ReplyLanguage, inquiryID: String
        )],
        vocabulary: StatedValueVocabulary
    ) async -> [Int: LLMDraft] {
        await withTaskGroup(of: (Int, LLMDraft?).self) { group in
            var results: [Int: LLMDraft] = [:]
            var pending = requests[...]
            func startNext() {
                guard let request = pending.popFirst() else { return }
                group.addTask {
                    (
                        request.index,
                        await self.draft(
                            question: request.question, reply: request.reply, language: request.language,
                            inquiryID: request.inquiryID, vocabulary: vocabulary
                        )
                    )
                }
            }
            for _ in 0..<Self.concurrency { startNext() }
            while let (index, draft) = await group.next() {
                if let draft { results[index] = draft }
                startNext()
            }
            return results
        }
    }
}
