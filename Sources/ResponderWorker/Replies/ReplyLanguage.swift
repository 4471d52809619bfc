/// A language the responder writes, loaded from `config/replies/<code>.yaml`: its sentences (`ReplyKey`), its money
/// and date formats, the phrases by which a customer says an answer did not help, its name for the LLM prompt, how
/// the knowledge search reads it, and the other ways it writes months and currencies (for the grounding guard).
/// Adding a language is adding a file (see `ReplyLanguages`); no code names a language.
public struct ReplyLanguage: Sendable, Hashable, CustomStringConvertible {
    /// The inquiry language code it answers (`en`, `de`, `sv`), as the classifier detects it.
    public let code: String
    /// How the LLM prompt names the language ("German (informal du)").
    public let name: String
    public let money: MoneyFormat
    public let dates: DateFormat
    /// Phrases by which a customer says the previous answer did not help ("didn't help", "hjälpte inte").
    public let notHelpedPhrases: [String]
    /// The knowledge search's stop words and stemming suffixes for articles and questions in this language.
    public let search: SearchRules
    /// Lower-cased spellings of a month other than `dates.months` (`jan`, `sept`, `maerz`) → month (1–12).
    public let otherMonthNames: [String: Int]
    /// Lower-cased words naming a currency (`euros`, `kronor`, `quid`) → ISO code, besides the ISO codes themselves
    /// and `money.currency_symbols`.
    public let currencyWords: [String: String]
    let templates: [ReplyKey: ReplyTemplate]

    /// `templates` must hold every `ReplyKey`, each using only that key's placeholders (`ReplyLanguages` checks it
    /// when it loads a file).
    public init(
        code: String, name: String, money: MoneyFormat, dates: DateFormat, notHelpedPhrases: [String],
        search: SearchRules = .none, otherMonthNames: [String: Int] = [:], currencyWords: [String: String] = [:],
        templates: [ReplyKey: ReplyTemplate]
    ) {
        self.code = code
        self.name = name
        self.money = money
        self.dates = dates
        self.notHelpedPhrases = notHelpedPhrases
        self.search = search
        self.otherMonthNames = otherMonthNames
        self.currencyWords = currencyWords
        self.templates = templates
    }

    /// The sentence `key` with its placeholders filled from `values`.
    public func say(_ key: ReplyKey, _ values: [String: String] = [:]) -> String {
        guard let template = self.templates[key] else {
            assertionFailure("language \(self.code) has no text for \(key.rawValue)")
            return ""
        }
        return template.render(values)
    }

    public var description: String { self.code }
}
