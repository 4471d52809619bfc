import Foundation

/// Lowercase, letters and digits only (diacritics folded), single spaces. Shared by the signal detectors.
enum TextNormalizer {
    static func normalize(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for character in text.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
            if character.isLetter || character.isNumber || character == "'" {
                if character != "'" { output.append(character) }
                lastWasSpace = false
            } else if !lastWasSpace {
                output.append(" ")
                lastWasSpace = true
            }
        }
        if output.hasSuffix(" ") { output.removeLast() }
        return output
    }
}

/// A message normalised once for all the signal detectors: its words, and every run of up to `PhraseSet.maximumWords`
/// consecutive words, so a phrase test is one hash lookup instead of a substring search.
public struct NormalizedText: Sendable {
    public let words: [String]
    let phrases: Set<String>

    public init(_ text: String) {
        self.words = TextNormalizer.normalize(text).split(separator: " ").map(String.init)
        var phrases = Set<String>()
        phrases.reserveCapacity(self.words.count * PhraseSet.maximumWords)
        for start in self.words.indices {
            var phrase = ""
            for end in start..<min(self.words.count, start + PhraseSet.maximumWords) {
                phrase += end == start ? self.words[end] : " " + self.words[end]
                phrases.insert(phrase)
            }
        }
        self.phrases = phrases
    }

    func contains(_ phrase: String) -> Bool { self.phrases.contains(phrase) }
}

/// A list of words and phrases written as people write them, normalised like the messages they are looked up in
/// (so "wütend" matches "Wütend!" and "can't pay" matches "cant pay").
struct PhraseSet: Sendable {
    static let maximumWords = 5
    let phrases: [String]

    init(_ phrases: [String]) {
        self.phrases = phrases.map(TextNormalizer.normalize).filter { !$0.isEmpty }
        precondition(
            self.phrases.allSatisfy { $0.split(separator: " ").count <= Self.maximumWords },
            "phrases are at most \(Self.maximumWords) words"
        )
    }

    func matches(_ text: NormalizedText) -> Bool {
        self.phrases.contains(where: text.contains)
    }
}
