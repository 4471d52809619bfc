import ConciergeCore
public import ConciergePostgres
public import ConciergeRuntime
import Logging

extension ResponderHandler {
    /// With the LLM backend configured: reads the batch's facts and conversations (a read-only transaction), decides
    /// each inquiry as `apply` will, and for answers from account facts asks the LLM to phrase them, keeping only
    /// grounded phrasings (`LLMPhraser`). Without it, or if the facts cannot be read, the batch is returned as is.
    public func prepare(_ batch: [Accepted<ResponderInput>], database: PostgresConnection) async -> [Accepted<
        ResponderInput
    >] {
        guard let llm = self.llm, !batch.isEmpty else { return batch }
        let inputs = batch.map(\.input)
        let state: State
        do {
            state = try await database.transaction { try Self.load(inputs.map(\.routed), in: $0) }
        } catch {
            llm.logger.warning(
                "could not read facts for the LLM; built-in answers only", metadata: ["error": "\(error)"])
            return batch
        }
        var requests:
            [(index: Int, question: String, reply: ResponderOutcome.Reply, language: ReplyLanguage, inquiryID: String)] =
                []
        let positions = Dictionary(
            batch.enumerated().map { ($0.element.input.routed.inquiry.messageID, $0.offset) },
            uniquingKeysWith: { first, _ in first })
        for decided in self.decide(inputs, state) {
            guard let reply = LLMPhraser.wants(decided.outcome) else { continue }
            let routed = decided.input.routed
            guard let index = positions[routed.inquiry.messageID] else { continue }
            requests.append(
                (
                    index, routed.inquiry.text, reply, self.responder.languages.language(for: routed.decision.language),
                    routed.inquiry.messageID
                ))
        }
        guard !requests.isEmpty else { return batch }
        let drafts = await llm.drafts(requests, vocabulary: self.responder.languages.statedValues)
        return batch.enumerated().map { index, accepted in
            var accepted = accepted
            if let draft = drafts[index] { accepted.input.draft = draft }
            return accepted
        }
    }
}
