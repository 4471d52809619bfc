import ClassifierWorker
import ConciergeCore
import ConciergeIntents
import Foundation
import IntentClassifier
import Testing

/// Out of scope (#15): the catalog's out-of-scope examples, the shipped threshold measured on the held-out set
/// (config/samples/scope-heldout.csv, texts that are not in the catalog), and how an out-of-scope inquiry is routed.
@Suite struct OutOfScopeTests {
    static let heldOutPath = ShippedClassifier.root.appendingPathComponent("config/samples/scope-heldout.csv").path
    static let modelPath = ShippedClassifier.root.appendingPathComponent("config/models/intents.model").path

    static func heldOutCalibration() throws -> OutOfScopeCalibration {
        let model = try IntentModel.load(from: Self.modelPath)
        let heldOut = try LabeledTextCSV.read(path: Self.heldOutPath)
        return OutOfScopeCalibration(model: model, examples: heldOut, outOfScopeLabel: IntentCatalog.outOfScopeLabel)
    }

    /// The threshold is chosen on the held-out set by the rule config/routing.yaml states: the lowest threshold at
    /// which the shipped model rejects at least 90 % of the out-of-scope texts. Fails when the model or the held-out
    /// set changed and nobody chose again.
    @Test func shippedThresholdIsTheOneTheHeldOutSetChooses() throws {
        let calibration = try Self.heldOutCalibration()
        #expect(calibration.inScopeCount >= 150)
        #expect(calibration.outOfScopeCount >= 150)
        let chosen = try #require(calibration.lowest(inScopeAccuracy: 0, outOfScopeRecall: 0.90))
        #expect(chosen.threshold == ShippedClassifier.policy.confidenceThreshold, "\(chosen)")
    }

    /// The target: at the shipped `confidence_threshold`, the shipped model answers at least 90 % of the
    /// held-out in-scope texts with their intent and rejects at least 90 % of the held-out out-of-scope texts
    /// (measured: 0.95 / 0.90 at 0.60, after 12 German and 10 Swedish examples per AI intent were added to the
    /// catalog by a writer who had not seen the held-out set).
    @Test func shippedThresholdMeetsTheTargetOnTheHeldOutSet() throws {
        let calibration = try Self.heldOutCalibration()
        let shipped = calibration.at(ShippedClassifier.policy.confidenceThreshold)
        #expect(shipped.inScopeAccuracy >= 0.90, "\(shipped)")
        #expect(shipped.outOfScopeRecall >= 0.90, "\(shipped)")
    }

    /// The held-out set measures generalisation only if none of its texts is a training example.
    @Test func heldOutTextsAreNotCatalogExamples() throws {
        let training = Set(ShippedClassifier.catalog.trainingData.map { $0.text.lowercased() })
        let heldOut = try LabeledTextCSV.read(path: Self.heldOutPath)
        let leaked = heldOut.filter { training.contains($0.text.lowercased()) }.map(\.text)
        #expect(leaked.isEmpty, "\(leaked)")
        let intents = Set(ShippedClassifier.catalog.intents.filter { $0.route == .ai }.map(\.name))
        #expect(heldOut.allSatisfy { $0.label == IntentCatalog.outOfScopeLabel || intents.contains($0.label) })
    }

    /// At least 10 out-of-scope examples per AI language that the language detector recognises as that language (it
    /// leaves many short texts undecided, so the catalog holds more than it counts).
    @Test func catalogShipsOutOfScopeExamplesInEveryAILanguage() {
        let detector = LanguageDetector()
        let examples = ShippedClassifier.catalog.outOfScopeExamples
        for language in ShippedClassifier.policy.aiLanguages {
            let count = examples.count { detector.detect($0) == language }
            #expect(count >= 10, "\(language): \(count) out-of-scope examples")
        }
    }

    @Test(arguments: [
        "what's the weather like in Stockholm on friday",
        "kannst du mir ein rezept für gulasch geben",
        "vilka aktier tror du går upp i år",
    ])
    func outOfScopeGoesToAPersonAsOutOfScope(text: String) {
        let (analysis, decision) = ShippedClassifier.decide(text)
        #expect(analysis.outOfScope, "\(analysis.prediction)")
        #expect(analysis.intent == nil)
        #expect(decision.route == .human)
        #expect(decision.reasons == ["out_of_scope"], "\(decision.reasons)")
    }
}
