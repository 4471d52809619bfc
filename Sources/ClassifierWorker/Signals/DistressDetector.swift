import ConciergeCore

/// Scores negative emotion and vulnerability in a message.
///
/// A lexicon of weighted terms (anger, anxiety, grief, hardship, vulnerability; English, German and Swedish), plus shouting
/// (mostly capitals) and repeated exclamation marks. Severe: any term of the severe list (self-harm, bereavement,
/// being unable to afford food or rent, threats of legal action…) or a score of at least 4. Mild: a score of at
/// least 2. The thresholds are deliberately low: a false alarm costs a human a minute, a miss costs a customer.
public struct DistressDetector: Sendable {
    static let severe = PhraseSet([
        "suicide", "suicidal", "kill myself", "end my life", "self harm", "can t go on", "cant go on",
        "passed away", "died", "death", "funeral", "widow", "terminally ill", "cancer",
        "cant afford food", "can t afford food", "cant feed", "can t feed", "evicted", "eviction", "homeless",
        "desperate", "emergency", "domestic abuse", "abusive", "in hospital", "lawyer", "legal action", "sue you",
        "ombudsman", "verstorben", "gestorben", "beerdigung", "verzweifelt", "notfall", "selbstmord",
        "umbringen", "nicht mehr leben", "will nicht mehr", "obdachlos", "zwangsräumung", "im krankenhaus", "anwalt",
        "rechtliche schritte", "verklagen", "kein geld für essen", "häusliche gewalt",
        "självmord", "ta mitt liv", "vill inte leva", "orkar inte mer", "gått bort", "avliden", "begravning",
        "desperat", "nödsituation", "hemlös", "vräkt", "vräkning", "på sjukhus", "advokat", "stämma er",
        "har inte råd med mat", "våld i hemmet",
    ])
    static let weighted: [(phrase: String, weight: Double)] = Self.normalized([
        "angry": 1.5, "furious": 2, "livid": 2, "outraged": 2, "disgusted": 2, "unacceptable": 1.5, "ridiculous": 1.5,
        "joke": 1, "scam": 2, "scammed": 2, "useless": 1.5, "terrible": 1.5, "awful": 1.5, "worst": 1.5, "hate": 1.5,
        "fed up": 1.5, "sick of": 1.5, "disgrace": 2, "shocking": 1.5, "pathetic": 2, "incompetent": 2,
        "worried": 2, "anxious": 2, "anxiety": 2, "scared": 2, "panic": 2, "panicking": 2, "stressed": 1.5,
        "stress": 1, "afraid": 1.5, "upset": 1.5, "crying": 2.5, "devastated": 2.5, "heartbroken": 2.5, "grief": 2.5,
        "lost my job": 2, "unemployed": 1.5, "redundant": 1.5, "cant pay": 1.5, "can t pay": 1.5, "debt": 1,
        "struggling": 1.5, "broke": 1, "hardship": 1.5, "disabled": 1, "illness": 1.5, "sick": 0.5,
        "wütend": 2, "sauer": 1.5, "unverschämt": 2, "frechheit": 2, "betrug": 2, "angst": 2, "sorgen": 1.5,
        "ärgerlich": 1.5, "katastrophe": 1.5, "schlimmste": 1.5, "nutzlos": 1.5, "verarscht": 2, "besorgt": 2,
        "panik": 2, "gestresst": 1.5, "weine": 2.5, "am ende": 2, "arbeitslos": 1.5, "schulden": 1,
        "arg": 1.5, "förbannad": 2, "rasande": 2, "oacceptabelt": 1.5, "löjligt": 1.5, "bedrägeri": 2,
        "värdelös": 1.5, "hemskt": 1.5, "sämsta": 1.5, "hatar": 1.5, "orolig": 2, "ångest": 2, "rädd": 2,
        "stressad": 1.5, "ledsen": 1.5, "gråter": 2.5, "förtvivlad": 2.5, "arbetslös": 1.5, "skulder": 1,
        "kämpar": 1.5,
    ])

    public init() {}

    static func normalized(_ terms: [String: Double]) -> [(phrase: String, weight: Double)] {
        terms.map { (TextNormalizer.normalize($0.key), $0.value) }
    }

    public func assess(_ text: String) -> Distress {
        self.assess(text, normalized: NormalizedText(text))
    }

    public func assess(_ text: String, normalized: NormalizedText) -> Distress {
        if Self.severe.matches(normalized) { return .severe }
        var score = 0.0
        for (phrase, weight) in Self.weighted where normalized.contains(phrase) {
            score += weight
        }
        let letters = text.filter(\.isLetter)
        if letters.count >= 12 && Double(letters.filter(\.isUppercase).count) / Double(letters.count) > 0.7 { score += 1.5 }
        if text.contains("!!") { score += 1 }
        if score >= 4 { return .severe }
        if score >= 2 { return .mild }
        return .none
    }
}
