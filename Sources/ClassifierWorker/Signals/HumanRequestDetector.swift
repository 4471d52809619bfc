/// Finds an explicit request for a person ("can I talk to a human", "real person please", "Mitarbeiter sprechen").
///
/// Works on the normalised text (lowercase, letters and digits, single spaces) with phrase patterns: a verb of
/// speaking near a word for a person, or a handful of fixed phrases. Negations such as "no need for a human" are not
/// treated specially: asking the question twice to a human is a cheaper mistake than ignoring the request.
public struct HumanRequestDetector: Sendable {
    let people: Set<String>
    let verbs: Set<String>
    let phrases: PhraseSet

    /// The words and phrases of every language file's `human_request` lists (`LanguageSignals`).
    public init(_ signals: LanguageSignals) {
        self.people = Self.normalized(signals.languages.flatMap(\.people))
        self.verbs = Self.normalized(signals.languages.flatMap(\.askingVerbs))
        self.phrases = PhraseSet(signals.languages.flatMap(\.humanPhrases))
    }

    /// The detector for the shipped languages (`LanguageSignals.shipped`).
    public init() { self.init(.shipped) }

    /// Words as people write them, folded like the messages they are compared with ("människa" -> "manniska").
    static func normalized(_ words: [String]) -> Set<String> { Set(words.map(TextNormalizer.normalize)) }

    public func detect(_ text: String) -> Bool {
        self.detect(NormalizedText(text))
    }

    public func detect(_ text: NormalizedText) -> Bool {
        if self.phrases.matches(text) { return true }
        let words = text.words
        for (index, word) in words.enumerated() where self.people.contains(word) {
            let window = words[max(0, index - 4)..<index]
            if window.contains(where: self.verbs.contains) { return true }
        }
        return false
    }
}
