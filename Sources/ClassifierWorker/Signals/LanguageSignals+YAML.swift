import ConciergeYAML
import Yams

extension LanguageSignals.Language {
    /// Reads one language file:
    ///
    /// ```yaml
    /// language: sv                         # the language code; the file is named <code>.yaml
    /// function_words: [och, är, inte, …]   # lower case, as written
    /// sensitive_topics:                    # optional unless the AI answers the language
    ///   fraud: [bedrägeri, "känner inte igen", …]
    ///   hardship: ["kan inte betala", …]
    /// distress:
    ///   severe: [självmord, …]
    ///   weighted: { orolig: 2, ledsen: 1.5 }
    /// human_request:
    ///   people: [människa, handläggare, …]
    ///   verbs: [prata, tala, …]            # within four words before a word for a person
    ///   phrases: ["riktig person", …]
    /// ```
    ///
    /// Phrases are written as people write them and compared normalised (lower case, no diacritics, no punctuation),
    /// at most `PhraseSet.maximumWords` words each.
    static func parse(yaml: String, file: String) throws(ConfigurationFileError) -> Self {
        guard let root = try ConfigurationYAML.compose(yaml, configuration: LanguageSignals.configuration, file: file)
        else {
            throw ConfigurationFileError(
                .unreadable, configuration: LanguageSignals.configuration, file: file, "the file is empty")
        }
        func fail(_ code: ConfigurationFileError.Code, _ detail: String, _ node: Node? = nil, keyPath: String = "")
            -> ConfigurationFileError
        {
            ConfigurationFileError(
                code, configuration: LanguageSignals.configuration, file: file, keyPath: keyPath,
                line: node?.mark?.line, detail)
        }
        func node(_ path: String) -> Node? {
            var current: Node? = root
            for key in path.split(separator: ".") { current = current?.mapping?[String(key)] }
            return current
        }
        func phrase(_ element: Node, _ path: String) throws(ConfigurationFileError) -> String {
            guard element.scalar != nil, let text = element.string else {
                throw fail(.invalidField, "'\(path)' must list texts", element, keyPath: path)
            }
            let words = TextNormalizer.normalize(text).split(separator: " ").count
            guard words > 0 else {
                throw fail(
                    .invalidPhrase, "'\(path)' has '\(text)', which has no letters or digits", element, keyPath: path)
            }
            guard words <= PhraseSet.maximumWords else {
                throw fail(
                    .invalidPhrase, "'\(path)' has '\(text)', longer than \(PhraseSet.maximumWords) words", element,
                    keyPath: path)
            }
            return text
        }
        func phrases(_ value: Node?, _ path: String, required: Bool = false) throws(ConfigurationFileError) -> [String]
        {
            guard let value else {
                if required { throw fail(.invalidField, "no '\(path)'", keyPath: path) }
                return []
            }
            guard let sequence = value.sequence else {
                throw fail(.invalidField, "'\(path)' must be a list", value, keyPath: path)
            }
            var texts: [String] = []
            for element in sequence { texts.append(try phrase(element, path)) }
            return texts
        }

        guard let codeNode = node("language"), codeNode.scalar != nil, let code = codeNode.string,
            !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") })
        else { throw fail(.invalidField, "'language' must be a language code such as sv") }
        let functionWords = try phrases(node("function_words"), "function_words", required: true).map {
            $0.lowercased()
        }
        guard !functionWords.isEmpty else { throw fail(.invalidField, "'function_words' is empty") }

        var topics: [(topic: String, phrases: [String])] = []
        if let value = node("sensitive_topics") {
            guard let mapping = value.mapping else {
                throw fail(.invalidField, "'sensitive_topics' must map topics to lists of phrases", value)
            }
            for (key, list) in mapping {
                guard let topic = key.string else {
                    throw fail(.invalidField, "'sensitive_topics' keys must be topic names", key)
                }
                topics.append((topic, try phrases(list, "sensitive_topics.\(topic)")))
            }
        }
        var weighted: [(phrase: String, weight: Double)] = []
        if let value = node("distress.weighted") {
            guard let mapping = value.mapping else {
                throw fail(.invalidField, "'distress.weighted' must map phrases to weights", value)
            }
            for (key, weightNode) in mapping {
                let text = try phrase(key, "distress.weighted")
                guard let weight = weightNode.string.flatMap(Double.init), weight > 0, weight.isFinite else {
                    throw fail(
                        .invalidField, "'distress.weighted' gives '\(text)' no positive weight", weightNode,
                        keyPath: "distress.weighted")
                }
                weighted.append((text, weight))
            }
        }
        return Self(
            code: code, functionWords: Set(functionWords), sensitiveTopics: topics,
            severeDistress: try phrases(node("distress.severe"), "distress.severe"), weightedDistress: weighted,
            people: try phrases(node("human_request.people"), "human_request.people"),
            askingVerbs: try phrases(node("human_request.verbs"), "human_request.verbs"),
            humanPhrases: try phrases(node("human_request.phrases"), "human_request.phrases")
        )
    }
}
