/// Recognises a customer saying an answer did not help: "that's wrong", "didn't help", "hat nicht geholfen",
/// "hjälpte inte". The phrases are each reply language's `not_helped:` list (`config/replies/<code>.yaml`).
public struct DissatisfactionDetector: Sendable {
    public var phrases: [String]

    public init(phrases: [String]) {
        self.phrases = phrases.map(TextFolding.padded)
    }

    /// Every phrase of every loaded language: a customer may switch language, or mix two.
    public init(languages: ReplyLanguages) {
        self.init(phrases: languages.all.flatMap(\.notHelpedPhrases))
    }

    public func isDissatisfied(_ text: String) -> Bool {
        let padded = TextFolding.padded(text)
        return self.phrases.contains { TextFolding.contains(padded, words: $0) }
    }
}
