import ConciergeCore
import ConciergeYAML
import Foundation
import ResponderWorker
import Testing

/// The reply language files: the shipped ones load, and a file that lacks a sentence, names one no code says, uses a
/// placeholder its sentence does not fill or has an unusable format is refused with an error naming file and key.
@Suite struct ReplyLanguagesTests {
    static let english = try! String(
        contentsOf: ResponderFixtures.root.appendingPathComponent("config/replies/en.yaml"), encoding: .utf8)

    /// The shipped English file with one line replaced (the line must be there).
    static func english(replacing old: String, with new: String) throws -> String {
        try #require(Self.english.contains(old), "en.yaml no longer has \(old)")
        return Self.english.replacingOccurrences(of: old, with: new)
    }

    static func error(_ yaml: String, file: String = "en.yaml") -> ConfigurationFileError? {
        do {
            _ = try ReplyLanguage.parse(yaml: yaml, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func shippedLanguagesLoadWithEverySentence() throws {
        let languages = ResponderFixtures.languages
        #expect(languages.codes == ["de", "en", "sv"])
        #expect(languages.fallback.code == "en")
        for language in languages.all {
            for key in ReplyKey.allCases {
                #expect(
                    !language.say(key, Dictionary(key.placeholders.map { ($0, "x") }, uniquingKeysWith: { a, _ in a }))
                        .isEmpty, "\(language) \(key)")
            }
            #expect(!language.notHelpedPhrases.isEmpty, "\(language)")
        }
    }

    @Test func anInquiryInALanguageWithoutAFileIsAnsweredInTheFallback() {
        #expect(ResponderFixtures.languages.language(for: "fr").code == "en")
        #expect(ResponderFixtures.languages.language(for: "sv").code == "sv")
    }

    @Test func aMissingSentenceIsRefusedNamingTheKey() throws {
        let yaml = try Self.english(replacing: "    card_expired: \"the card has expired\"\n", with: "")
        let error = try #require(Self.error(yaml))
        #expect(error.code == .missingTemplate)
        #expect(error.description.contains("en.yaml") && error.description.contains("failure.card_expired"), "\(error)")
    }

    @Test func aSentenceNoCodeSaysIsRefused() throws {
        let yaml = try Self.english(replacing: "  and: \"and\"\n", with: "  and: \"and\"\n  ad: \"a typo\"\n")
        let error = try #require(Self.error(yaml))
        #expect(error.code == .unknownTemplate)
        #expect(error.description.contains("ad"), "\(error)")
    }

    @Test(
        arguments: [
            // A placeholder the sentence's code does not fill: the reply would show it, or state something not in the facts.
            (
                "    succeeded: \"Your payment of {amount} to {purchase} on {date} was received.\"",
                "    succeeded: \"Your payment of {amount} to {purchase} on {date} was received; {fee} was added.\"",
                ConfigurationFileError.Code.unknownPlaceholder
            ),
            ("  date_unknown: \"-\"", "  date_unknown: \"{date}\"", .unknownPlaceholder),
            (
                "  fully_paid: \"Your purchase at {purchase} is fully paid; there are no further instalments.\"",
                "  fully_paid: \"Your purchase at {purchase is fully paid.\"", .malformedTemplate
            ),
            (
                "  fully_paid: \"Your purchase at {purchase} is fully paid; there are no further instalments.\"",
                "  fully_paid: \"Your purchase at {Purchase} is fully paid.\"", .malformedTemplate
            ),
            (
                "  no_open_instalments: \"You have no upcoming instalments: all {count} of your purchases are paid, refunded or settled.\"",
                "  no_open_instalments: \"You have no upcoming instalments} {count}\"", .malformedTemplate
            ),
            (
                "  months: [January, February, March, April, May, June, July, August, September, October, November, December]",
                "  months: [January, February, March]", .invalidFormat
            ),
            ("  pattern: \"{number} {currency}\"", "  pattern: \"{number}\"", .invalidFormat),
            ("  pattern: \"{day} {month} {year}\"", "  pattern: \"{day} {month} {year} {hour}\"", .unknownPlaceholder),
            ("  decimal_separator: \".\"", "  decimal_separator: \"\"", .invalidFormat),
            ("name: \"English\"\n", "", .missingField),
        ] as [(String, String, ConfigurationFileError.Code)])
    func aBrokenFileIsRefusedWithItsReason(old: String, new: String, code: ConfigurationFileError.Code) throws {
        let error = try #require(Self.error(try Self.english(replacing: old, with: new)), "accepted: \(new)")
        #expect(error.code == code, "\(error)")
        #expect(error.file == "en.yaml")
    }

    @Test func aDirectoryWithoutTheFallbackOrWithAMisnamedFileIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "replies-\(UInt64.random(in: 0..<UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let german = try String(
            contentsOf: ResponderFixtures.root.appendingPathComponent("config/replies/de.yaml"), encoding: .utf8)
        try german.write(to: directory.appendingPathComponent("de.yaml"), atomically: true, encoding: .utf8)
        #expect(
            throws: ConfigurationFileError(
                .missingFallback, configuration: "reply languages",
                "the fallback language 'en' has no file (languages: de)")
        ) {
            try ReplyLanguages.load(directory: directory.path)
        }
        #expect(try ReplyLanguages.load(directory: directory.path, fallback: "de").codes == ["de"])

        try Self.english.write(to: directory.appendingPathComponent("fr.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ReplyLanguages.load(directory: directory.path, fallback: "de")
            Issue.record("a file fr.yaml declaring language en was accepted")
        } catch {
            #expect(error.code == .duplicateLanguage)
            #expect(error.file == "fr.yaml")
        }
    }

    @Test func aValueIsNeverReadAsAPlaceholder() throws {
        let template = try ReplyTemplate("{shop} on {date}")
        #expect(template.render(["shop": "Shop {date}", "date": "3 March 2026"]) == "Shop {date} on 3 March 2026")
        #expect(template.placeholders == ["shop", "date"])
    }

    /// Every sentence of every language uses only placeholders its key fills, and the ones that carry a value from the
    /// facts keep it: a translation that drops `{amount}` from a payment sentence would answer without the amount.
    @Test func everyLanguageStatesTheSameFactsAsEnglish() {
        let languages = ResponderFixtures.languages
        let english = ResponderFixtures.language("en")
        for language in languages.all where language.code != "en" {
            for key in ReplyKey.allCases {
                let values = Dictionary(key.placeholders.map { ($0, "<\($0)>") }, uniquingKeysWith: { a, _ in a })
                let used = Set(key.placeholders.filter { language.say(key, values).contains("<\($0)>") })
                let usedInEnglish = Set(key.placeholders.filter { english.say(key, values).contains("<\($0)>") })
                #expect(
                    used == usedInEnglish,
                    "\(language.code) \(key.rawValue): \(used.sorted()) vs English \(usedInEnglish.sorted())")
            }
        }
    }
}
