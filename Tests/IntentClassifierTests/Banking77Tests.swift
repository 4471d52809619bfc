import Foundation
import IntentClassifier
import Testing

/// The Banking77 benchmark, when `../shared/data/banking77` exists beside the package root.
@Suite struct Banking77Tests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // IntentClassifierTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/data/banking77").standardizedFileURL
    static let train = directory.appendingPathComponent("train.csv").path
    static let test = directory.appendingPathComponent("test.csv").path
    static let available = FileManager.default.fileExists(atPath: train) && FileManager.default.fileExists(atPath: test)

    @Test(.enabled(if: available, "Banking77 data not found beside the package"))
    func accuracyOnBanking77() throws {
        let trainExamples = try LabeledTextCSV.read(path: Self.train)
        let testExamples = try LabeledTextCSV.read(path: Self.test)
        #expect(trainExamples.count == 10_003)
        #expect(testExamples.count == 3_080)
        var options = TrainingOptions()
        #if DEBUG
            // Unoptimised builds are slower: half the epochs and no calibration pass, which costs about 0.3 points
            // (the release benchmark, `conciergectl bench classifier`, trains with the defaults).
            options.epochs = 6
            options.calibrationFraction = 0
        #endif
        let required = 0.90
        let model = IntentModel.train(trainExamples, options: options)
        #expect(model.labels.count == 77)
        let evaluation = IntentEvaluation.evaluate(model, on: testExamples)
        #expect(evaluation.accuracy >= required, "accuracy \(evaluation.accuracy)")
        #expect(evaluation.macroF1 >= required - 0.01, "macro-F1 \(evaluation.macroF1)")
    }
}
