public import ConciergeYAML
import Foundation

/// What the signal detectors know about each language, one `config/languages/<code>.yaml` file per language: the
/// function words the language detector counts, and the safety net's phrases (sensitive topics, distress, asking for a
/// person). Adding a language is adding a file; no detector names a language.
///
/// A language only detected (its inquiries go to a person) needs its function words alone; a language the AI answers
/// (`ai_languages`) needs the safety-net lists too, which `ClassifierWorker.classifier` checks at start-up.
public struct LanguageSignals: Sendable {
    /// One language's file.
    public struct Language: Sendable {
        public var code: String
        /// Words frequent in any message in the language ("the", "und", "och"), lower-cased as written.
        public var functionWords: Set<String>
        /// Phrases that make an inquiry sensitive whatever its intent, by topic (fraud, hardship, bereavement…). The
        /// topics are for readers; any phrase of any topic marks the inquiry sensitive.
        public var sensitiveTopics: [(topic: String, phrases: [String])]
        /// Phrases that alone make distress severe (self-harm, bereavement, threats of legal action…).
        public var severeDistress: [String]
        /// Weighted distress terms (anger, anxiety, grief, hardship); see `DistressDetector` for the thresholds.
        public var weightedDistress: [(phrase: String, weight: Double)]
        /// "Talk to a person": words for a person, verbs that ask for one (within four words before it), fixed phrases.
        public var people: [String]
        public var askingVerbs: [String]
        public var humanPhrases: [String]

        public init(
            code: String, functionWords: Set<String>, sensitiveTopics: [(topic: String, phrases: [String])] = [],
            severeDistress: [String] = [], weightedDistress: [(phrase: String, weight: Double)] = [],
            people: [String] = [],
            askingVerbs: [String] = [], humanPhrases: [String] = []
        ) {
            self.code = code
            self.functionWords = functionWords
            self.sensitiveTopics = sensitiveTopics
            self.severeDistress = severeDistress
            self.weightedDistress = weightedDistress
            self.people = people
            self.askingVerbs = askingVerbs
            self.humanPhrases = humanPhrases
        }

        /// The safety-net lists this language lacks (empty when it has all of them).
        public var missingSafetyNet: [String] {
            var missing: [String] = []
            if self.sensitiveTopics.allSatisfy(\.phrases.isEmpty) { missing.append("sensitive_topics") }
            if self.severeDistress.isEmpty { missing.append("distress.severe") }
            if self.weightedDistress.isEmpty { missing.append("distress.weighted") }
            if self.people.isEmpty { missing.append("human_request.people") }
            if self.askingVerbs.isEmpty { missing.append("human_request.verbs") }
            if self.humanPhrases.isEmpty { missing.append("human_request.phrases") }
            return missing
        }
    }

    /// How errors name these files (``ConfigurationFileError/configuration``).
    public static let configuration = "classifier languages"

    /// Every language, sorted by code.
    public let languages: [Language]
    /// The language a message is taken to be in when the detector cannot tell, and the one preferred on a tie.
    public let defaultLanguage: String

    public init(_ languages: [Language], defaultLanguage: String = "en") throws(ConfigurationFileError) {
        var seen = Set<String>()
        for language in languages where !seen.insert(language.code).inserted {
            throw ConfigurationFileError(
                .duplicateLanguage, configuration: LanguageSignals.configuration, file: "",
                "language '\(language.code)' is defined twice")
        }
        self.languages = languages.sorted { $0.code < $1.code }
        self.defaultLanguage = defaultLanguage
    }

    /// The loaded language codes, sorted.
    public var codes: [String] { self.languages.map(\.code) }

    public subscript(code: String) -> Language? { self.languages.first { $0.code == code } }

    /// Checks that every language in `codes` (the routing policy's `ai_languages`) has a file with every safety-net
    /// list: an inquiry the AI may answer must pass the same net in every language.
    public func requireSafetyNet(for codes: some Sequence<String>) throws(ConfigurationFileError) {
        for code in codes.sorted() {
            guard let language = self[code] else {
                throw ConfigurationFileError(
                    .missingSafetyNet, configuration: LanguageSignals.configuration, file: "\(code).yaml",
                    "'\(code)' is in ai_languages but has no language file (languages: \(self.codes.joined(separator: ", ")))"
                )
            }
            let missing = language.missingSafetyNet
            guard missing.isEmpty else {
                throw ConfigurationFileError(
                    .missingSafetyNet, configuration: LanguageSignals.configuration, file: "\(code).yaml",
                    "'\(code)' is in ai_languages but has no \(missing.joined(separator: ", "))"
                )
            }
        }
    }

    /// Loads every `*.yaml` file of `directory` (see `LanguageSignals+YAML`).
    public static func load(directory: String, defaultLanguage: String = "en") throws(ConfigurationFileError)
        -> LanguageSignals
    {
        var languages: [Language] = []
        for (file, text) in try ConfigurationFiles.readDirectory(
            directory, configuration: LanguageSignals.configuration)
        {
            let language = try Language.parse(yaml: text, file: file)
            try ConfigurationFiles.requireNamed(
                file, after: language.code, configuration: LanguageSignals.configuration)
            languages.append(language)
        }
        return try LanguageSignals(languages, defaultLanguage: defaultLanguage)
    }

    /// The languages shipped in this source tree's `config/languages` (see `ShippedConfiguration`), loaded once: the
    /// detectors' defaults for tests and tools. The classifier worker loads `classifier.languages` instead.
    public static let shipped: LanguageSignals = {
        guard let directory = ShippedConfiguration.path("languages") else {
            fatalError(
                "no config/languages in the source tree or the working directory; pass LanguageSignals explicitly")
        }
        do {
            return try LanguageSignals.load(directory: directory)
        } catch {
            fatalError("the shipped config/languages do not load: \(error)")
        }
    }()
}
