/// Finds an explicit request for a person ("can I talk to a human", "real person please", "Mitarbeiter sprechen").
///
/// Works on the normalised text (lowercase, letters and digits, single spaces) with phrase patterns: a verb of
/// speaking near a word for a person, or a handful of fixed phrases. Negations such as "no need for a human" are not
/// treated specially: asking the question twice to a human is a cheaper mistake than ignoring the request.
public struct HumanRequestDetector: Sendable {
    static let people: Set<String> = Self.normalized([
        "human", "humans", "person", "people", "agent", "agents", "someone", "somebody", "representative", "rep",
        "operator", "staff", "advisor", "adviser", "manager", "supervisor", "employee", "colleague",
        "mensch", "menschen", "mitarbeiter", "mitarbeiterin", "berater", "beraterin", "jemandem", "sachbearbeiter",
        "kundenservice", "kundendienst",
        "människa", "människor", "handläggare", "medarbetare", "rådgivare", "någon", "kundtjänst",
    ])
    static let verbs: Set<String> = Self.normalized([
        "talk", "speak", "chat", "connect", "transfer", "put", "escalate", "call", "get", "want", "need", "give",
        "sprechen", "reden", "verbinden", "mit",
        "prata", "tala", "koppla", "vill", "med", "behöver", "få",
    ])
    static let phrases = PhraseSet([
        "real person", "actual person", "live person", "live agent", "human being", "not a bot", "no bot", "no bots",
        "stop the bot", "not a robot", "talk to someone", "speak to someone", "human please", "agent please",
        "person please", "customer service rep", "customer service representative", "echten menschen",
        "echter mensch", "keinen bot", "kein bot", "mit einem menschen", "mit einem mitarbeiter", "echte person",
        "riktig person", "riktig människa", "en människa", "inte en bot", "ingen bot", "ingen robot",
    ])

    public init() {}

    /// Words as people write them, folded like the messages they are compared with ("människa" -> "manniska").
    static func normalized(_ words: [String]) -> Set<String> { Set(words.map(TextNormalizer.normalize)) }

    public func detect(_ text: String) -> Bool {
        self.detect(NormalizedText(text))
    }

    public func detect(_ text: NormalizedText) -> Bool {
        if Self.phrases.matches(text) { return true }
        let words = text.words
        for (index, word) in words.enumerated() where Self.people.contains(word) {
            let window = words[max(0, index - 4)..<index]
            if window.contains(where: Self.verbs.contains) { return true }
        }
        return false
    }
}
