import Foundation
import IntentClassifier
import Testing

@Suite struct IntentModelTests {
    /// Trained once for the whole suite (Swift Testing makes a suite instance per test).
    static let sharedModel = IntentModel.train(SmallDataset.training, options: SmallDataset.options)
    var model: IntentModel { Self.sharedModel }

    @Test func labelsAreSorted() {
        #expect(model.labels == ["card_arrival", "change_pin", "exchange_rate", "lost_card", "top_up_failed"])
    }

    @Test(arguments: SmallDataset.heldOut)
    func predictsHeldOutPhrasings(example: LabeledText) {
        #expect(model.predict(example.text).label == example.label)
    }

    @Test func predictionHasRankedAlternativesAndProbabilities() {
        let prediction = model.predict("my card never arrived", top: 3)
        #expect(prediction.label == "card_arrival")
        #expect(prediction.alternatives.count == 2)
        let confidences = prediction.ranked.map(\.confidence)
        #expect(confidences == confidences.sorted(by: >))
        #expect(!prediction.alternatives.contains { $0.label == prediction.label })
        let probabilities = model.probabilities("my card never arrived")
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
        #expect(abs(probabilities.max()! - prediction.confidence) < 1e-9)
        #expect(model.predict("anything", top: 100).alternatives.count == model.labels.count - 1)
        #expect(model.predict("anything", top: 0).alternatives.isEmpty)
    }

    @Test(arguments: ["qwx zzvb kptl", "", "🙂🙂🙂", "the weather in paris is lovely in spring"])
    func outOfDomainIsLessConfidentThanInDomain(text: String) {
        let inDomain = SmallDataset.heldOut.map { model.predict($0.text).confidence }.min()!
        #expect(model.predict(text).confidence < inDomain)
    }

    @Test func typosStillMatch() {
        #expect(model.predict("my crad was stolne").label == "lost_card")
        #expect(model.predict("exchnage rate").label == "exchange_rate")
    }

    @Test func squaredHingeLossAlsoLearns() {
        var options = SmallDataset.options
        options.loss = .squaredHinge
        let svm = IntentModel.train(SmallDataset.training, options: options)
        let correct = SmallDataset.heldOut.filter { svm.predict($0.text).label == $0.label }.count
        #expect(correct >= SmallDataset.heldOut.count - 1)
    }

    @Test func trainingIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        let other = IntentModel.train(SmallDataset.training, options: SmallDataset.options)
        try model.write(to: directory.path("a.model"))
        try other.write(to: directory.path("b.model"))
        let a = try Data(contentsOf: URL(fileURLWithPath: directory.path("a.model")))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory.path("b.model")))
        #expect(a == b)
        var reseeded = SmallDataset.options
        reseeded.seed += 1
        try IntentModel.train(SmallDataset.training, options: reseeded).write(to: directory.path("c.model"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("c.model"))) != a)
    }

    @Test func calibrationFitsATemperatureOnLargerData() {
        // 250 examples: enough for the 10% held-out split (25 texts) used to fit the temperature.
        let examples = (0..<50).flatMap { _ in SmallDataset.training }.enumerated().map { index, example in
            LabeledText(text: example.text + " \(index % 7 == 0 ? "please" : "")", label: example.label)
        }
        var options = TrainingOptions()
        options.epochs = 3
        let calibrated = IntentModel.train(Array(examples.prefix(250)), options: options)
        #expect(calibrated.temperature != 1)
        #expect(calibrated.temperature > 0)
    }
}
