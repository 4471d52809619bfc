import ClassifierWorker
import ConciergeCore
import ConciergeYAML
import Foundation
import Testing

/// The classifier's language files (`config/languages`): the shipped ones load and protect every AI language, and a
/// malformed file is refused with its name and key.
@Suite struct LanguageSignalsTests {
    @Test func shippedFilesLoadAndEveryAILanguageHasItsSafetyNet() throws {
        let signals = try LanguageSignals.load(
            directory: ShippedClassifier.root.appendingPathComponent("config/languages").path)
        #expect(signals.codes == ["de", "en", "es", "fr", "it", "nl", "pl", "pt", "sv"])
        try signals.requireSafetyNet(for: ShippedClassifier.policy.aiLanguages)
        for code in ShippedClassifier.policy.aiLanguages {
            #expect(try #require(signals[code]).missingSafetyNet.isEmpty, "\(code)")
        }
    }

    /// Writes `files` (name → text) to a fresh directory and loads it.
    func load(_ files: [String: String]) throws -> LanguageSignals {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "concierge-languages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try LanguageSignals.load(directory: directory.path)
    }

    func loadError(_ files: [String: String]) -> ConfigurationFileError? {
        do {
            _ = try self.load(files)
            return nil
        } catch let error as ConfigurationFileError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func aPhraseTooLongIsRefusedWithItsFileAndKey() throws {
        let error = try #require(
            self.loadError([
                "xx.yaml":
                    "language: xx\nfunction_words: [a, b]\nsensitive_topics:\n  fraud: [\"one two three four five six\"]\n"
            ]))
        #expect(error.code == .invalidPhrase)
        #expect(error.file == "xx.yaml")
        #expect(error.description.contains("sensitive_topics.fraud"), "\(error)")
    }

    @Test func aWeightThatIsNotANumberIsRefused() throws {
        let error = try #require(
            self.loadError([
                "xx.yaml": "language: xx\nfunction_words: [a, b]\ndistress:\n  weighted: { sad: lots }\n"
            ]))
        #expect(error.code == .invalidField)
        #expect(error.description.contains("distress.weighted"), "\(error)")
    }

    @Test func aFileNamedForAnotherLanguageIsRefused() throws {
        let error = try #require(self.loadError(["xx.yaml": "language: yy\nfunction_words: [a, b]\n"]))
        #expect(error.code == .duplicateLanguage)
        #expect(error.file == "xx.yaml")
    }

    @Test func anAILanguageWithoutItsSafetyNetIsRefused() throws {
        let signals = try self.load([
            "xx.yaml": "language: xx\nfunction_words: [a, b]\nhuman_request:\n  phrases: [\"real person\"]\n"
        ])
        #expect(throws: ConfigurationFileError.self) { try signals.requireSafetyNet(for: ["xx"]) }
        #expect(throws: ConfigurationFileError.self) { try signals.requireSafetyNet(for: ["zz"]) }
        do {
            try signals.requireSafetyNet(for: ["xx"])
        } catch {
            #expect(error.code == .missingSafetyNet)
            #expect(
                error.description.contains("sensitive_topics") && error.description.contains("distress.severe"),
                "\(error)")
        }
    }
}
