/// Tokens for the knowledge search: folded words without the language's stop words, stemmed by its suffix list
/// (`SearchRules`, from the replies files). The stemmer is the same for every language: strip the first listed suffix
/// that leaves at least four letters of a word longer than four letters; the lists are data.
enum SearchTokenizer {
    static func tokens(_ text: String, _ rules: SearchRules) -> [String] {
        TextFolding.tokens(text).filter { !rules.stopWords.contains($0) }.map { self.stem($0, rules) }
    }

    static func stem(_ word: String, _ rules: SearchRules) -> String {
        guard word.count > 4, !word.allSatisfy(\.isNumber) else { return word }
        for suffix in rules.suffixes where word.hasSuffix(suffix.suffix) {
            let stem = String(word.dropLast(suffix.suffix.count))
            if stem.count >= 4 { return stem + suffix.replacement }
        }
        return word
    }
}
