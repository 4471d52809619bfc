/// Guesses the language of a short message from function words (en, de, fr, es, it, nl, pt, pl, sv). Returns nil
/// when no language scores at least two hits (too short to tell); the caller then keeps the default.
public struct LanguageDetector: Sendable {
    static let stopwords: [String: Set<String>] = [
        "en": ["the", "is", "my", "i", "to", "and", "it", "a", "of", "was", "when", "where", "did", "have", "what", "you", "can", "why", "not", "for", "me", "this", "do"],
        "de": ["der", "die", "das", "ist", "ich", "nicht", "und", "mein", "meine", "wann", "wo", "zahlung", "ein", "eine", "mit", "habe", "wurde", "bitte", "warum", "kann", "mir", "noch"],
        "fr": ["le", "la", "les", "est", "je", "mon", "ma", "pas", "et", "paiement", "où", "quand", "une", "un", "pourquoi", "mes", "avec", "remboursement"],
        "es": ["el", "la", "los", "es", "mi", "yo", "no", "y", "pago", "dónde", "cuándo", "una", "un", "por", "qué", "mis", "con", "reembolso"],
        "it": ["il", "lo", "la", "è", "mio", "mia", "non", "e", "pagamento", "dove", "quando", "una", "perché", "con", "rimborso", "sono"],
        "nl": ["de", "het", "is", "mijn", "ik", "niet", "en", "betaling", "waar", "wanneer", "een", "waarom", "met", "terugbetaling"],
        "pt": ["o", "os", "é", "meu", "minha", "não", "e", "pagamento", "onde", "quando", "uma", "um", "porque", "com", "reembolso"],
        "pl": ["jest", "moja", "mój", "nie", "i", "płatność", "gdzie", "kiedy", "dlaczego", "zwrot", "się", "jak"],
        "sv": ["är", "min", "mitt", "mina", "inte", "och", "betalning", "var", "när", "varför", "jag", "med", "återbetalning", "har", "det", "ett", "på", "för", "vill", "kan", "hur", "som", "om", "mig", "ni", "er"],
    ]

    public init() {}

    public func detect(_ text: String) -> String? {
        let words = text.lowercased().split { !$0.isLetter }.map(String.init)
        var best: (String, Int)?
        for (language, stopwords) in Self.stopwords {
            let hits = words.reduce(0) { $0 + (stopwords.contains($1) ? 1 : 0) }
            if hits >= 2, hits > (best?.1 ?? 0) || (hits == best?.1 && language == "en") { best = (language, hits) }
        }
        return best?.0
    }
}
