/// Tokens for the knowledge search: folded words without stop words (English, German, Swedish), with a light suffix
/// stemmer for English and German so "returns" finds "return" and "Rücksendungen" finds "Rücksendung".
enum SearchTokenizer {
    static let stopWords: Set<String> = [
        // English
        "a", "an", "the", "and", "or", "but", "if", "to", "of", "in", "on", "at", "for", "with", "by", "from", "is", "are",
        "was", "were", "be", "been", "it", "its", "i", "me", "my", "you", "your", "we", "our", "us", "can", "could",
        "do", "does", "did", "how", "what", "when", "where", "why", "which", "this", "that", "there", "please", "pls",
        "hi", "hello", "thanks", "thank", "would", "will", "want", "like", "just", "so", "as", "not", "no", "yes", "am",
        "have", "has", "had", "get", "any", "some", "about", "up", "out",
        // German
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder", "aber",
        "ich", "mich", "mir", "mein", "meine", "meinen", "meiner", "du", "dich", "dir", "dein", "deine", "deinen", "wir",
        "sie", "es", "ist", "sind", "war", "zu", "zum", "zur", "im", "in", "an", "am", "auf", "fur", "mit", "von",
        "bei", "wie", "was", "wann", "wo", "warum", "kann", "konnen", "bitte", "hallo", "danke", "nicht", "kein",
        "keine", "auch", "noch", "schon", "nur", "wird", "werden", "habe", "hast", "hat", "haben", "ja", "nein",
        // Swedish, folded as the tokens are (på → pa, är → ar, för → for, när → nar)
        "jag", "mig", "min", "mitt", "mina", "dig", "din", "ditt", "dina", "vi", "oss", "ni", "er", "han", "hon",
        "det", "de", "dem", "en", "ett", "och", "eller", "men", "att", "som", "om", "pa", "med", "till", "av", "fran",
        "ar", "vara", "har", "hade", "kan", "ska", "skulle", "vill", "hur", "vad", "nar", "var", "varfor", "vilken",
        "vilket", "vilka", "inte", "nej", "hej", "tack", "ocksa", "bara", "redan", "sa", "gor", "gora", "sig", "jo",
    ]

    static func tokens(_ text: String) -> [String] {
        TextFolding.tokens(text).filter { !self.stopWords.contains($0) }.map(self.stem)
    }

    static func stem(_ word: String) -> String {
        guard word.count > 4, !word.allSatisfy(\.isNumber) else { return word }
        for suffix in ["ungen", "ing", "ies", "es", "en", "ed", "er", "s", "e", "n"] where word.hasSuffix(suffix) {
            let stem = String(word.dropLast(suffix.count))
            if stem.count >= 4 { return suffix == "ies" ? stem + "y" : stem }
        }
        return word
    }
}
