/// A safety net under the intent model: phrases that mark a sensitive topic whatever intent the model predicts
/// (fraud, disputes, hardship, bereavement, power of attorney, legal complaints, data requests), from every language
/// file's `sensitive_topics` (`LanguageSignals`). When it fires, the inquiry is sensitive and can never be answered
/// by the AI. The phrases of all languages are checked whatever language the message is detected in: a misdetected
/// language must not open a hole in the net.
public struct SensitiveTopicDetector: Sendable {
    let phrases: PhraseSet

    public init(_ signals: LanguageSignals) {
        self.phrases = PhraseSet(signals.languages.flatMap { $0.sensitiveTopics.flatMap(\.phrases) })
    }

    /// The detector for the shipped languages (`LanguageSignals.shipped`).
    public init() { self.init(.shipped) }

    public func detect(_ text: String) -> Bool {
        self.detect(NormalizedText(text))
    }

    public func detect(_ text: NormalizedText) -> Bool {
        self.phrases.matches(text)
    }
}
