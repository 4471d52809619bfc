/// Recognises a customer saying an answer did not help: "that's wrong", "still not resolved", "didn't help",
/// "stimmt nicht", "hat nicht geholfen".
public struct DissatisfactionDetector: Sendable {
    public var phrases: [String]

    public static let defaultPhrases = [
        // English
        "that s wrong", "thats wrong", "that is wrong", "this is wrong", "wrong answer", "not right", "incorrect",
        "didn t help", "didnt help", "did not help", "doesn t help", "doesnt help", "does not help", "not helpful",
        "no help", "useless", "not resolved", "still not resolved", "unresolved", "still not sorted", "not sorted",
        "still waiting", "doesn t answer", "didn t answer", "did not answer", "not what i asked", "that s not true",
        "not true", "makes no sense", "still broken", "still not working", "still doesn t work",
        // German
        "stimmt nicht", "das ist falsch", "falsche antwort", "hilft nicht", "hilft mir nicht", "nicht geholfen",
        "hat nicht geholfen", "keine hilfe", "nicht gelost", "immer noch nicht", "bringt nichts", "unsinn",
        "beantwortet nicht", "nicht meine frage", "nutzlos",
    ]

    public init(phrases: [String] = Self.defaultPhrases) {
        self.phrases = phrases.map(TextFolding.padded)
    }

    public func isDissatisfied(_ text: String) -> Bool {
        let padded = TextFolding.padded(text)
        return self.phrases.contains { TextFolding.contains(padded, words: $0) }
    }
}
