/// The words the grounding guard reads as months and currencies, from the reply languages (`ReplyLanguages`): each
/// language's `dates.months` and `dates.other_month_names`, the symbols of its `money.currency_symbols` and its
/// `money.currency_words`. ISO codes (`eur`, `sek`…) and the symbols `€`, `£`, `$` are read in every language.
import ConciergeYAML

public struct StatedValueVocabulary: Sendable, Hashable {
    /// Lower-cased month name → month (1–12).
    public let months: [String: Int]
    /// Lower-cased currency word → ISO code.
    public let currencyWords: [String: String]
    /// Currency symbol (one character that is not a letter) → ISO code.
    public let currencySymbols: [Character: String]

    /// Language-independent: the ISO codes the fleet handles and the common symbols.
    static let isoCodes = ["eur", "gbp", "usd", "sek", "nok", "dkk", "chf", "pln", "czk", "huf", "ron", "jpy", "kwd"]
    static let commonSymbols: [Character: String] = ["€": "EUR", "£": "GBP", "$": "USD"]

    /// The words of `languages`. A word two languages read differently (a month, a currency) is an error naming both.
    init(_ languages: [ReplyLanguage]) throws(ConfigurationFileError) {
        var months: [String: (month: Int, file: String)] = [:]
        var words: [String: (iso: String, file: String)] = [:]
        var symbols: [Character: (iso: String, file: String)] = [:]
        for code in Self.isoCodes { words[code] = (code.uppercased(), "") }
        for (symbol, iso) in Self.commonSymbols { symbols[symbol] = (iso, "") }
        func conflict(
            _ what: String, _ word: String, _ first: String, _ second: String, _ file: String, _ other: String
        ) -> ConfigurationFileError {
            ConfigurationFileError(
                .invalidFormat, configuration: ReplyLanguages.configuration, file: file,
                "the grounding guard would read '\(word)' as \(what) \(second) here and as \(first) \(other.isEmpty ? "in every language" : "in \(other)")"
            )
        }
        for language in languages {
            let file = "\(language.code).yaml"
            var named: [(String, Int)] = language.dates.months.enumerated().map { ($1.lowercased(), $0 + 1) }
            named += language.otherMonthNames.map { ($0.key.lowercased(), $0.value) }
            for (word, month) in named {
                if let known = months[word], known.month != month {
                    throw conflict("month", word, "\(known.month)", "\(month)", file, known.file)
                }
                months[word] = (month, file)
            }
            var currencies = language.currencyWords.map { ($0.key.lowercased(), $0.value) }
            for (iso, symbol) in language.money.currencySymbols {
                if symbol.count == 1, let character = symbol.first, !character.isLetter {
                    if let known = symbols[character], known.iso != iso {
                        throw conflict("currency", symbol, known.iso, iso, file, known.file)
                    }
                    symbols[character] = (iso, file)
                } else {
                    currencies.append((symbol.lowercased(), iso))
                }
            }
            for (word, iso) in currencies {
                if let known = words[word], known.iso != iso {
                    throw conflict("currency", word, known.iso, iso, file, known.file)
                }
                words[word] = (iso, file)
            }
        }
        self.months = months.mapValues(\.month)
        self.currencyWords = words.mapValues(\.iso)
        self.currencySymbols = symbols.mapValues(\.iso)
    }

    /// The shipped reply languages' words (`ReplyLanguages.shipped`), for `StatedValue.extract(from:)` and
    /// `GroundingGuard(sources:)` without a vocabulary.
    public static var shipped: StatedValueVocabulary { ReplyLanguages.shipped.statedValues }
}
