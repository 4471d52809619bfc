import ConciergeCore

/// The chat messages that ask the model to phrase a built-in account answer: rules in the system message; the
/// customer's question, the facts the answer rests on (one line each) and the built-in answer as the reference in
/// the user message.
enum LLMPrompt {
    static func messages(question: String, reply: ResponderOutcome.Reply, language: ReplyLanguage)
        -> [ChatCompletionsClient.Message]
    {
        let languageName = language.name
        let system = """
            You are the customer-service assistant of a buy-now-pay-later company. Rewrite the reference answer so it \
            replies naturally to the customer's question, in \(languageName), in at most four sentences of plain text.
            Rules:
            - Use only the facts listed and the reference answer. Every amount, date and order reference you write must \
            appear there; copy them exactly as the reference answer writes them.
            - Do not add amounts, dates, fees, deadlines, order numbers, promises or advice that the reference answer \
            does not contain. Do not guess.
            - Never ask for passwords, card numbers or codes.
            - Reply with the answer text only.
            """
        let facts = reply.facts.map { "- \($0.kind) \($0.id): \($0.summary)" }.joined(separator: "\n")
        let user = """
            Customer's question:
            \(question)

            Facts:
            \(facts)

            Reference answer:
            \(reply.text)
            """
        return [.init(role: "system", content: system), .init(role: "user", content: user)]
    }
}
