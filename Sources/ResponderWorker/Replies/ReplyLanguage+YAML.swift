public import ConciergeYAML
import Yams

extension ReplyLanguage {
    /// Reads one language file:
    ///
    /// ```yaml
    /// language: sv                      # the inquiry language code; the file is named <code>.yaml
    /// name: "Swedish"                   # how the LLM prompt names the language
    /// money:
    ///   decimal_separator: ","
    ///   grouping_separator: "\u00a0"    # between groups of three digits; "" for none
    ///   pattern: "{number}\u00a0{currency}"
    ///   currency_symbols: { SEK: kr, EUR: "€" }   # others are written as their ISO code
    ///   currency_words: { kronor: SEK }           # optional: other words the grounding guard reads as a currency
    /// dates:
    ///   pattern: "{day} {month} {year}"
    ///   months: [januari, februari, …]  # twelve names
    ///   other_month_names: { jan: januari }       # optional: abbreviations and spellings the guard reads too
    /// not_helped: ["hjälpte inte", …]   # the customer says the previous answer did not help
    /// search:                           # optional: the knowledge search in this language
    ///   stop_words: [och, att, …]       # ignored words
    ///   suffixes: [ing, { ies: y }, s]  # stripped (or replaced) in order when four letters remain of a longer word
    /// templates:                        # every ReplyKey; nested keys join with dots (payment: succeeded: → payment.succeeded)
    ///   purchase: "{shop} (order {order})"
    ///   payment:
    ///     succeeded: "…"
    /// ```
    public static func parse(yaml: String, file: String) throws(ConfigurationFileError) -> ReplyLanguage {
        guard let root = try ConfigurationYAML.compose(yaml, configuration: ReplyLanguages.configuration, file: file)
        else {
            throw ConfigurationFileError(
                .unreadable, configuration: ReplyLanguages.configuration, file: file, "the file is empty")
        }
        func fail(_ code: ConfigurationFileError.Code, _ detail: String, _ node: Node? = nil, keyPath: String = "")
            -> ConfigurationFileError
        {
            ConfigurationFileError(
                code, configuration: ReplyLanguages.configuration, file: file, keyPath: keyPath, line: node?.mark?.line,
                detail)
        }
        func field(_ node: Node?, _ path: String) throws(ConfigurationFileError) -> Node {
            var current = node
            for key in path.split(separator: ".") { current = current?.mapping?[String(key)] }
            guard let current else { throw fail(.missingField, "no '\(path)'", keyPath: path) }
            return current
        }
        func string(_ node: Node?, _ path: String) throws(ConfigurationFileError) -> String {
            let value = try field(node, path)
            guard value.scalar != nil, let text = value.string else {
                throw fail(.missingField, "'\(path)' must be text", value, keyPath: path)
            }
            return text
        }
        func strings(_ node: Node?, _ path: String) throws(ConfigurationFileError) -> [String] {
            let value = try field(node, path)
            guard let sequence = value.sequence else {
                throw fail(.missingField, "'\(path)' must be a list", value, keyPath: path)
            }
            var texts: [String] = []
            for element in sequence {
                guard element.scalar != nil, let text = element.string else {
                    throw fail(.missingField, "'\(path)' must list texts", element, keyPath: path)
                }
                texts.append(text)
            }
            return texts
        }
        func template(_ text: String, _ what: String, allowed: Set<String>, at node: Node?, keyPath: String)
            throws(ConfigurationFileError) -> ReplyTemplate
        {
            let parsed: ReplyTemplate
            do { parsed = try ReplyTemplate(text) } catch {
                throw fail(.malformedTemplate, "\(what): \(error.detail)", node, keyPath: keyPath)
            }
            let unknown = parsed.placeholders.subtracting(allowed)
            guard unknown.isEmpty else {
                throw fail(
                    .unknownPlaceholder,
                    "\(what) uses \(unknown.sorted().map { "{\($0)}" }.joined(separator: ", ")); it may use "
                        + (allowed.isEmpty
                            ? "no placeholder" : allowed.sorted().map { "{\($0)}" }.joined(separator: ", ")),
                    node, keyPath: keyPath
                )
            }
            return parsed
        }

        let code = try string(root, "language")
        guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
            throw fail(.missingField, "'language' must be a language code such as sv, not '\(code)'")
        }

        let decimal = try string(root, "money.decimal_separator")
        guard !decimal.isEmpty else { throw fail(.invalidFormat, "money.decimal_separator is empty") }
        let grouping = try string(root, "money.grouping_separator")
        guard grouping != decimal else {
            throw fail(.invalidFormat, "money.grouping_separator equals the decimal separator")
        }
        let moneyPattern = try template(
            try string(root, "money.pattern"), "money.pattern", allowed: ["number", "currency"],
            at: try field(root, "money.pattern"), keyPath: "money.pattern")
        guard moneyPattern.placeholders == ["number", "currency"] else {
            throw fail(.invalidFormat, "money.pattern must place both {number} and {currency}")
        }
        var symbols: [String: String] = [:]
        if let node = root.mapping?["money"]?.mapping?["currency_symbols"] {
            guard let mapping = node.mapping else {
                throw fail(.invalidFormat, "money.currency_symbols must map ISO codes to symbols", node)
            }
            for (key, value) in mapping {
                guard let iso = key.string, iso.count == 3, iso.allSatisfy({ $0.isASCII && $0.isUppercase }),
                    let symbol = value.string, !symbol.isEmpty
                else {
                    throw fail(.invalidFormat, "money.currency_symbols must map ISO codes (EUR) to symbols", key)
                }
                symbols[iso] = symbol
            }
        }

        let datePattern = try template(
            try string(root, "dates.pattern"), "dates.pattern", allowed: ["day", "month", "year"],
            at: try field(root, "dates.pattern"), keyPath: "dates.pattern")
        guard datePattern.placeholders == ["day", "month", "year"] else {
            throw fail(.invalidFormat, "dates.pattern must place {day}, {month} and {year}")
        }
        let months = try strings(root, "dates.months")
        guard months.count == 12, months.allSatisfy({ !$0.isEmpty }) else {
            throw fail(
                .invalidFormat, "dates.months must name the twelve months, January first (found \(months.count))")
        }

        var otherMonths: [String: Int] = [:]
        if let node = root.mapping?["dates"]?.mapping?["other_month_names"] {
            guard let mapping = node.mapping else {
                throw fail(.invalidFormat, "dates.other_month_names must map spellings to month names", node)
            }
            let lowered = months.map { $0.lowercased() }
            for (key, value) in mapping {
                guard let spelling = key.string, !spelling.isEmpty, let name = value.string,
                    let month = lowered.firstIndex(of: name.lowercased())
                else {
                    throw fail(
                        .invalidFormat, "dates.other_month_names must map a spelling to one of dates.months", key)
                }
                otherMonths[spelling.lowercased()] = month + 1
            }
        }
        var currencyWords: [String: String] = [:]
        if let node = root.mapping?["money"]?.mapping?["currency_words"] {
            guard let mapping = node.mapping else {
                throw fail(.invalidFormat, "money.currency_words must map words to ISO codes", node)
            }
            for (key, value) in mapping {
                guard let word = key.string, !word.isEmpty, word.allSatisfy(\.isLetter), let iso = value.string,
                    iso.count == 3,
                    iso.allSatisfy({ $0.isASCII && $0.isUppercase })
                else {
                    throw fail(
                        .invalidFormat, "money.currency_words must map words (letters only) to ISO codes (EUR)", key)
                }
                currencyWords[word.lowercased()] = iso
            }
        }

        var search = SearchRules.none
        if let node = root.mapping?["search"] {
            let stopWords = node.mapping?["stop_words"] == nil ? [] : try strings(root, "search.stop_words")
            var suffixes: [SearchRules.Suffix] = []
            if let list = node.mapping?["suffixes"] {
                guard let sequence = list.sequence else {
                    throw fail(.invalidFormat, "search.suffixes must be a list", list)
                }
                for element in sequence {
                    if let text = element.string, element.scalar != nil, !text.isEmpty {
                        suffixes.append(.init(text))
                    } else if let pair = element.mapping, pair.count == 1,
                        let (key, value) = pair.first.map({ ($0.key, $0.value) }),
                        let suffix = key.string, !suffix.isEmpty, let replacement = value.string
                    {
                        suffixes.append(.init(suffix, replacement: replacement))
                    } else {
                        throw fail(
                            .invalidFormat, "search.suffixes lists suffixes (ing) or replacements ({ ies: y })", element
                        )
                    }
                }
            }
            search = SearchRules(stopWords: Set(stopWords), suffixes: suffixes)
        }

        var texts: [String: (String, Node)] = [:]
        func flatten(_ node: Node, prefix: String) throws(ConfigurationFileError) {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard let name = key.string else { throw fail(.missingField, "template keys must be text", key) }
                    try flatten(value, prefix: prefix.isEmpty ? name : "\(prefix).\(name)")
                }
            } else if node.scalar != nil, let text = node.string {
                texts[prefix] = (text, node)
            } else {
                throw fail(.missingField, "template '\(prefix)' must be text", node)
            }
        }
        let templatesNode = try field(root, "templates")
        guard templatesNode.mapping != nil else {
            throw fail(.missingField, "'templates' must map keys to texts", templatesNode)
        }
        try flatten(templatesNode, prefix: "")

        let unknown = Set(texts.keys).subtracting(ReplyKey.allCases.map(\.rawValue))
        guard unknown.isEmpty else {
            throw fail(.unknownTemplate, "templates no code says: \(unknown.sorted().joined(separator: ", "))")
        }
        var templates: [ReplyKey: ReplyTemplate] = [:]
        for key in ReplyKey.allCases {
            guard let (text, node) = texts[key.rawValue] else {
                throw fail(
                    .missingTemplate,
                    "no template '\(key.rawValue)' (placeholders: \(key.placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")))"
                )
            }
            templates[key] = try template(
                text, "template '\(key.rawValue)'", allowed: key.placeholders, at: node,
                keyPath: "templates.\(key.rawValue)")
        }

        return ReplyLanguage(
            code: code, name: try string(root, "name"),
            money: MoneyFormat(
                decimalSeparator: decimal, groupingSeparator: grouping, pattern: moneyPattern, currencySymbols: symbols),
            dates: DateFormat(pattern: datePattern, months: months),
            notHelpedPhrases: try strings(root, "not_helped"),
            search: search, otherMonthNames: otherMonths, currencyWords: currencyWords,
            templates: templates
        )
    }
}
