import ConciergeAdmin
import Foundation
import IntentClassifier
import Testing

/// The classifier commands' logic without their flags: overrides of the training defaults, the reports of `train`,
/// `eval` and `bench classifier`, on small in-memory data (no Banking77 needed).
@Suite struct ClassifierReportsTests {
    static let examples: [LabeledText] = [
        ("card_arrival", ["my card has not arrived", "where is my new card", "still waiting for my card"]),
        ("card_arrival", ["card not delivered yet", "when does my card arrive", "my card never came"]),
        ("refund", ["where is my refund", "refund not received", "I want my money back"]),
        ("refund", ["how long does a refund take", "my refund is late", "refund still missing"]),
    ].flatMap { label, texts in texts.map { LabeledText(text: $0, label: label) } }

    static var options: TrainingOptions {
        var overrides = TrainingOverrides()
        overrides.minDocumentFrequency = 1
        overrides.epochs = 20
        overrides.batchSize = 4
        return overrides.options
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    @Test func noOverrideKeepsEveryDefault() {
        #expect(TrainingOverrides().options == TrainingOptions())
    }

    @Test func eachOverrideReplacesItsDefault() {
        var overrides = TrainingOverrides()
        overrides.epochs = 3
        overrides.seed = 7
        overrides.learningRate = 0.5
        overrides.l2 = 0.25
        overrides.batchSize = 9
        overrides.maxWordNGram = 1
        overrides.charNGrams = 0...0
        overrides.skipGramWindow = 4
        overrides.crossWordChars = true
        overrides.wordWeight = 2
        overrides.charWeight = 3
        overrides.minDocumentFrequency = 5
        overrides.squaredHinge = true
        overrides.calibrationFraction = 0
        overrides.negativeLabel = "out_of_scope"
        let options = overrides.options
        #expect(options.epochs == 3)
        #expect(options.seed == 7)
        #expect(options.learningRate == 0.5)
        #expect(options.l2 == 0.25)
        #expect(options.batchSize == 9)
        #expect(options.maxWordNGram == 1)
        #expect(options.charNGrams == 0...0)
        #expect(options.skipGramWindow == 4)
        #expect(options.crossWordChars)
        #expect(options.wordWeight == 2)
        #expect(options.charWeight == 3)
        #expect(options.minDocumentFrequency == 5)
        #expect(options.loss == .squaredHinge)
        #expect(options.calibrationFraction == 0)
        #expect(options.negativeLabel == "out_of_scope")
    }

    @Test(arguments: [("2-5", 2...5), ("0-0", 0...0), ("3-3", 3...3)])
    func charNGramsAreMinDashMax(text: String, range: ClosedRange<Int>) {
        #expect(TrainingOverrides.charNGrams(text) == range)
    }

    @Test(arguments: ["5-2", "2", "2-5-7", "a-b", "", "2-"])
    func anythingElseIsNoCharNGramRange(text: String) {
        #expect(TrainingOverrides.charNGrams(text) == nil)
    }

    @Test func aMissingOrEmptyExampleFileSaysWhich() throws {
        let missing = Self.temporaryPath("missing.csv")
        #expect(throws: ExampleFileError(.notFound, path: missing)) { try ExampleFile.read(missing) }
        #expect(ExampleFileError(.notFound, path: missing).description == "file not found: \(missing)")
        let empty = Self.temporaryPath("empty.csv")
        try "text,label\n".write(toFile: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: ExampleFileError(.empty, path: empty)) { try ExampleFile.read(empty) }
        #expect(ExampleFileError(.empty, path: empty).description == "no examples in \(empty)")
        let good = Self.temporaryPath("good.csv")
        try "text,label\n\"where is it, my card\",card_arrival\nmy refund,refund\n".write(
            toFile: good, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: good) }
        #expect(
            try ExampleFile.read(good) == [
                LabeledText(text: "where is it, my card", label: "card_arrival"),
                LabeledText(text: "my refund", label: "refund"),
            ])
    }

    @Test func trainingWritesTheModelAndReportsIt() throws {
        let path = Self.temporaryPath("model.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try TrainingRun.train(Self.examples, options: Self.options, writingTo: path)
        #expect(run.modelBytes > 0)
        #expect(try IntentModel.load(from: path).labels == run.model.labels)
        let lines = run.lines
        #expect(lines.count == 6)
        #expect(lines[0] == "examples:       12")
        #expect(lines[1] == "labels:         2")
        #expect(lines[2] == "features:       \(run.model.featureCount)")
        #expect(lines[3].hasPrefix("temperature:    ") && lines[3].split(separator: ".").last?.count == 3)
        #expect(lines[4].hasPrefix("training time:  ") && lines[4].hasSuffix(" s"))
        #expect(lines[5].hasPrefix("model file:     \(path) (") && lines[5].hasSuffix(" MB)"))
    }

    /// Three in-scope and three out-of-scope texts whose rates are known at every threshold.
    static let calibration = OutOfScopeCalibration(
        [
            .init(predicted: "a", confidence: 0.9, label: "a"),
            .init(predicted: "b", confidence: 0.6, label: "b"),
            .init(predicted: "a", confidence: 0.7, label: "b"),
            .init(predicted: "a", confidence: 0.3, label: "oos"),
            .init(predicted: "oos", confidence: 0.95, label: "oos"),
            .init(predicted: "b", confidence: 0.8, label: "oos"),
        ],
        outOfScopeLabel: "oos")

    @Test func outOfScopeFiguresAtTheThresholdBalancedAndTheCurveInSteps() {
        let lines = EvaluationReport(outOfScopeLabel: "oos", threshold: 0.5, target: 0.9)
            .outOfScopeLines(Self.calibration)
        #expect(
            Array(lines.prefix(5)) == [
                "out of scope (3 in-scope, 3 out-of-scope texts):",
                "  at threshold 0.50: in-scope accuracy 0.6667, out-of-scope recall 0.6667",
                "  balanced at  0.31: in-scope accuracy 0.6667, out-of-scope recall 0.6667",
                "  no threshold gives both >= 0.90",
                "threshold  in-scope accuracy  out-of-scope recall",
            ])
        let curve = lines.dropFirst(5)
        #expect(curve.count == 21)
        #expect(curve.first == "     0.00             0.6667               0.3333")
        #expect(curve.contains("     0.35             0.6667               0.6667"))
        #expect(curve.contains("     0.85             0.3333               1.0000"))
        #expect(curve.last == "     1.00             0.0000               1.0000")
    }

    @Test func theLowestThresholdReachingTheTarget() {
        let lines = EvaluationReport(outOfScopeLabel: "oos", threshold: 0.95, target: 0.6)
            .outOfScopeLines(Self.calibration)
        #expect(lines[1] == "  at threshold 0.95: in-scope accuracy 0.0000, out-of-scope recall 1.0000")
        #expect(lines[3] == "  lowest with both >= 0.60 at 0.31: in-scope accuracy 0.6667, out-of-scope recall 0.6667")
    }

    @Test func theEvaluationLeavesOutOfScopeTextsOutOfTheInScopeFigures() {
        let model = IntentModel.train(Self.examples, options: Self.options)
        let outOfScope = [
            LabeledText(text: "what is the weather", label: "out_of_scope"),
            LabeledText(text: "tell me a joke", label: "out_of_scope"),
        ]
        let plain = EvaluationReport(weakest: 2, confused: 1).text(model, on: Self.examples)
        #expect(plain == IntentEvaluation.evaluate(model, on: Self.examples).report(weakest: 2, confused: 1))
        #expect(!plain.contains("out of scope"))
        let report = EvaluationReport(weakest: 2, confused: 1, outOfScopeLabel: "out_of_scope")
        let text = report.text(model, on: Self.examples + outOfScope)
        #expect(text.hasPrefix(plain + "\nout of scope (12 in-scope, 2 out-of-scope texts):\n"))
        #expect(text.split(separator: "\n").last?.hasPrefix("     1.00 ") == true)
    }

    @Test func theBenchmarkReportsEachFigureInOrder() throws {
        let path = Self.temporaryPath("bench.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var lines: [String] = []
        try ClassifierBenchmark(
            train: Self.examples, test: Self.examples, options: Self.options, predictions: 50, modelPath: path
        ).run { lines.append($0) }
        #expect(FileManager.default.fileExists(atPath: path))
        let prefixes = [
            "train examples:   12 (2 labels, ", "training time:    ", "test examples:    12", "accuracy:         ",
            "macro-F1:         ", "model file:       ", "classifications:  50 in ", "throughput:       ",
        ]
        try #require(lines.count >= prefixes.count)
        for (line, prefix) in zip(lines, prefixes) { #expect(line.hasPrefix(prefix), "\(line)") }
        #expect(lines[6].hasSuffix(" s on one thread"))
        #expect(lines[7].hasSuffix(" µs each)"))
        #expect(lines.dropFirst(8).allSatisfy { $0.hasPrefix("per CPU second:   ") })
    }
}
