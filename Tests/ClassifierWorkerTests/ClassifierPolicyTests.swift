import ClassifierWorker
import ConciergeCore
import ConciergeIntents
import ConciergeYAML
import Foundation
import IntentClassifier
import Testing

/// The shipped catalog, routing file and a model trained from the catalog, as the worker builds them.
enum ShippedClassifier {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let catalog = try! IntentCatalog.load(path: root.appendingPathComponent("config/intents.yaml").path)
    static let policy = try! RoutingConfiguration.load(path: root.appendingPathComponent("config/routing.yaml").path)
    static let classifier = InquiryClassifier(
        model: IntentModel.train(catalog.trainingData), catalog: catalog, policy: policy)

    static func decide(_ text: String, vip: Bool = false, repeatContact: Bool = false, assignedAgent: String? = nil)
        -> (InquiryClassifier.TextAnalysis, RoutingDecision)
    {
        let analysis = classifier.analyze(text: text, language: nil)
        return (
            analysis,
            classifier.decide(
                classifier.signals(analysis, vip: vip, repeatContact: repeatContact, assignedAgent: assignedAgent))
        )
    }
}

@Suite struct ClassifierPolicyTests {
    @Test func shippedCatalogIsComplete() {
        let catalog = ShippedClassifier.catalog
        #expect(catalog.intents.count >= 25)
        #expect(catalog.intents.allSatisfy { $0.examples.count >= 30 })
        #expect(catalog.intents.filter(\.sensitive).allSatisfy { $0.route != .ai })
    }

    @Test func shippedRoutingFileEqualsTheBuiltInDefault() {
        #expect(ShippedClassifier.policy == RoutingPolicy.standard)
    }

    @Test func catalogWithASensitiveAIIntentIsRefused() {
        let intent = IntentCatalog.Intent(
            name: "x", description: "", route: .ai, sensitive: true, complexity: "sensitive", answer: .none, skills: [],
            examples: ["a"])
        let error = #expect(throws: ConfigurationFileError.self) { try IntentCatalog(version: 1, intents: [intent]) }
        #expect(error?.code == .inconsistent)
        #expect(error?.description == "intent catalog: intent 'x' is sensitive but routed to ai (inconsistent)")
    }

    @Test(arguments: [
        ("did my payment go through yesterday?", "payment_status"),
        ("when is my next instalment due", "next_instalment"),
        ("where is my refund for the trainers I sent back", "refund_status"),
    ])
    func routineQuestionsGoToTheAI(text: String, intent: String) {
        let (analysis, decision) = ShippedClassifier.decide(text)
        #expect(analysis.intent == intent)
        #expect(decision.route == .ai, "\(decision.reasons)")
    }

    @Test(arguments: [
        "there is a charge from a shop I've never heard of, I didn't make this purchase",
        "my father passed away and I need to deal with his payment plan",
        "I lost my job and can't pay the next instalment",
        "I want to dispute this purchase, the item was nothing like described",
    ])
    func sensitiveCasesGoToHumans(text: String) {
        let (_, decision) = ShippedClassifier.decide(text)
        #expect(decision.route.isHuman, "\(decision.reasons)")
    }

    @Test func vipAndAskingForAPersonGoToHumans() {
        let (_, vip) = ShippedClassifier.decide("did my payment go through?", vip: true)
        #expect(vip.route == .humanPriority)
        #expect(vip.reasons.contains("vip"))
        let (_, asked) = ShippedClassifier.decide("did my payment go through? can I talk to a human")
        #expect(asked.route == .human)
        #expect(asked.reasons.contains("asked_for_human"))
    }

    @Test func anIntentNamedLikeTheOutOfScopeLabelIsRefused() {
        let intent = IntentCatalog.Intent(
            name: IntentCatalog.outOfScopeLabel, description: "", route: .human, sensitive: false,
            complexity: "routine", answer: .none, skills: [], examples: ["a"])
        let error = #expect(throws: ConfigurationFileError.self) { try IntentCatalog(version: 1, intents: [intent]) }
        #expect(error?.code == .duplicateName)
        #expect(error?.keyPath == "intents.0.name")
    }

    @Test func gibberishIsUnknownAndGoesToAHuman() {
        let (analysis, decision) = ShippedClassifier.decide("zxqv blorp wuggle frimble")
        #expect(analysis.intent == nil)
        #expect(decision.route == .human)
        // Below the threshold, or (since the catalog ships out-of-scope examples) given the out-of-scope label.
        #expect(
            decision.reasons.contains { $0.hasPrefix("low_confidence:") || $0 == "out_of_scope" }, "\(decision.reasons)"
        )
    }
}

@Suite struct ShippedModelTests {
    /// `config/models/intents.model` is what `conciergectl train --catalog config/intents.yaml` produces: training is
    /// deterministic, so the shipped model is reproducible from the catalog byte for byte. When the catalog changes,
    /// retrain and commit the model with it.
    @Test func shippedModelIsReproducibleFromTheCatalog() throws {
        let path = ShippedClassifier.root.appendingPathComponent("config/models/intents.model").path
        let shipped = try Data(contentsOf: URL(fileURLWithPath: path))
        let retrained = FileManager.default.temporaryDirectory.appendingPathComponent(
            "intents-\(UInt64.random(in: 0..<UInt64.max)).model"
        ).path
        try IntentModel.train(ShippedClassifier.catalog.trainingData).write(to: retrained)
        defer { try? FileManager.default.removeItem(atPath: retrained) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: retrained)) == shipped)
        let loaded = try IntentModel.load(from: path)
        #expect(
            Set(loaded.labels) == Set(ShippedClassifier.catalog.intents.map(\.name) + [IntentCatalog.outOfScopeLabel]))
    }
}
