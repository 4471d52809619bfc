public import ConciergeCore

/// Scores negative emotion and vulnerability in a message.
///
/// A lexicon of weighted terms (anger, anxiety, grief, hardship, vulnerability) from every language file's `distress`
/// lists (`LanguageSignals`), plus shouting (mostly capitals) and repeated exclamation marks. Severe: any term of the
/// severe lists (self-harm, bereavement, being unable to afford food or rent, threats of legal action…) or a score of
/// at least 4. Mild: a score of at least 2. The thresholds are deliberately low: a false alarm costs a human a minute, a miss costs a customer.
public struct DistressDetector: Sendable {
    let severe: PhraseSet
    /// Normalised phrase and weight; a phrase in several languages' files counts once, at its highest weight.
    let weighted: [(phrase: String, weight: Double)]

    public init(_ signals: LanguageSignals) {
        self.severe = PhraseSet(signals.languages.flatMap(\.severeDistress))
        var weights: [String: Double] = [:]
        for language in signals.languages {
            for (phrase, weight) in language.weightedDistress {
                let key = TextNormalizer.normalize(phrase)
                weights[key] = max(weights[key] ?? 0, weight)
            }
        }
        self.weighted = weights.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The detector for the shipped languages (`LanguageSignals.shipped`).
    public init() { self.init(.shipped) }

    public func assess(_ text: String) -> Distress {
        self.assess(text, normalized: NormalizedText(text))
    }

    public func assess(_ text: String, normalized: NormalizedText) -> Distress {
        if self.severe.matches(normalized) { return .severe }
        var score = 0.0
        for (phrase, weight) in self.weighted where normalized.contains(phrase) {
            score += weight
        }
        let letters = text.filter(\.isLetter)
        if letters.count >= 12 && Double(letters.filter(\.isUppercase).count) / Double(letters.count) > 0.7 {
            score += 1.5
        }
        if text.contains("!!") { score += 1 }
        if score >= 4 { return .severe }
        if score >= 2 { return .mild }
        return .none
    }
}
