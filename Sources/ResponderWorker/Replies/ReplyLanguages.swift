public import ConciergeYAML
import Foundation

/// The languages the responder answers in, one `config/replies/<code>.yaml` file each.
///
/// An inquiry in a language without a file is answered in the fallback language (English by default), as before
/// languages were data; the classifier's `ai_languages` decides which languages reach the responder at all.
/// Adding a language: copy `en.yaml` to `<code>.yaml`, translate every text (keep the `{placeholders}`), set its
/// money and date formats, add the code to `ai_languages` in `config/routing.yaml`, and add knowledge articles and
/// catalog examples in it. Loading checks that every language has every `ReplyKey` and uses only known placeholders.
public struct ReplyLanguages: Sendable {
    /// How errors name these files (``ConfigurationFileError/configuration``).
    public static let configuration = "reply languages"

    public let fallback: ReplyLanguage
    let byCode: [String: ReplyLanguage]
    /// The month names and currency words of every language, for the LLM grounding guard.
    public let statedValues: StatedValueVocabulary

    /// `languages` with distinct codes, one of them `fallback`.
    public init(_ languages: [ReplyLanguage], fallback: String = "en") throws(ConfigurationFileError) {
        var byCode: [String: ReplyLanguage] = [:]
        for language in languages {
            guard byCode.updateValue(language, forKey: language.code) == nil else {
                throw ConfigurationFileError(
                    .duplicateLanguage, configuration: ReplyLanguages.configuration, file: "",
                    "language '\(language.code)' is defined twice")
            }
        }
        guard let fallback = byCode[fallback] else {
            throw ConfigurationFileError(
                .missingFallback, configuration: ReplyLanguages.configuration, file: "",
                "the fallback language '\(fallback)' has no file (languages: \(byCode.keys.sorted().joined(separator: ", ")))"
            )
        }
        self.byCode = byCode
        self.fallback = fallback
        self.statedValues = try StatedValueVocabulary(languages.sorted { $0.code < $1.code })
    }

    /// The loaded language codes, sorted.
    public var codes: [String] { self.byCode.keys.sorted() }

    /// Every loaded language, by code.
    public var all: [ReplyLanguage] { self.codes.compactMap { self.byCode[$0] } }

    public subscript(code: String) -> ReplyLanguage? { self.byCode[code] }

    /// The language to answer an inquiry in `code` in: that language when it has a file, else the fallback.
    public func language(for code: String) -> ReplyLanguage {
        self.byCode[code] ?? self.fallback
    }

    /// The languages shipped in this source tree's `config/replies` (see `ShippedConfiguration`), loaded once: the
    /// default of the APIs tests, tools and fuzz targets call without a configuration (`StatedValue.extract(from:)`,
    /// `KnowledgeBase.load(directory:)`). The responder worker loads `responder.replies` instead.
    public static let shipped: ReplyLanguages = {
        guard let directory = ShippedConfiguration.path("replies") else {
            fatalError(
                "no config/replies in the source tree or the working directory; pass the reply languages explicitly")
        }
        do {
            return try ReplyLanguages.load(directory: directory)
        } catch {
            fatalError("the shipped config/replies do not load: \(error)")
        }
    }()

    /// Loads every `*.yaml` file of `directory` (see `ReplyLanguages+YAML`).
    public static func load(directory: String, fallback: String = "en") throws(ConfigurationFileError) -> ReplyLanguages
    {
        var languages: [ReplyLanguage] = []
        for (file, text) in try ConfigurationFiles.readDirectory(directory, configuration: ReplyLanguages.configuration)
        {
            let language = try ReplyLanguage.parse(yaml: text, file: file)
            try ConfigurationFiles.requireNamed(file, after: language.code, configuration: ReplyLanguages.configuration)
            languages.append(language)
        }
        return try ReplyLanguages(languages, fallback: fallback)
    }
}
