/// How the knowledge search reads one language, from its replies file's `search:` section (`ReplyLanguage`): the
/// words it ignores and the suffixes its light stemmer strips ("returns" finds "return", "Rücksendungen" finds
/// "Rücksendung"). Articles and questions in a language without rules are searched word for word.
public struct SearchRules: Sendable, Hashable {
    /// A suffix the stemmer strips, or replaces (`ies` → `y`).
    public struct Suffix: Sendable, Hashable {
        public var suffix: String
        public var replacement: String

        public init(_ suffix: String, replacement: String = "") {
            self.suffix = suffix
            self.replacement = replacement
        }
    }

    /// Folded like the tokens (lower case, no diacritics: `för` → `for`).
    public var stopWords: Set<String>
    /// Tried in order; the first that leaves at least four letters of a word longer than four applies.
    public var suffixes: [Suffix]

    public init(stopWords: Set<String>, suffixes: [Suffix]) {
        self.stopWords = Set(stopWords.map(TextFolding.fold))
        self.suffixes = suffixes.map {
            Suffix(TextFolding.fold($0.suffix), replacement: TextFolding.fold($0.replacement))
        }
    }

    /// No stop words, no stemming.
    public static let none = SearchRules(stopWords: [], suffixes: [])
}
