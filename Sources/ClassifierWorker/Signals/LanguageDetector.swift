/// Guesses the language of a short message from the function words of each language file (`LanguageSignals`).
/// Returns nil when no language scores at least two hits (too short to tell); the caller then keeps the default. On
/// a tie the default language wins, then the first code in alphabetical order.
public struct LanguageDetector: Sendable {
    let functionWords: [(code: String, words: Set<String>)]
    let preferred: String

    /// The detector for `signals`' languages.
    public init(_ signals: LanguageSignals) {
        self.functionWords = signals.languages.map { ($0.code, $0.functionWords) }
        self.preferred = signals.defaultLanguage
    }

    /// The detector for the shipped languages (`LanguageSignals.shipped`).
    public init() { self.init(.shipped) }

    public func detect(_ text: String) -> String? {
        let words = text.lowercased().split { !$0.isLetter }.map(String.init)
        var best: (String, Int)?
        for (language, functionWords) in self.functionWords {
            let hits = words.reduce(0) { $0 + (functionWords.contains($1) ? 1 : 0) }
            if hits >= 2, hits > (best?.1 ?? 0) || (hits == best?.1 && language == self.preferred) {
                best = (language, hits)
            }
        }
        return best?.0
    }
}
