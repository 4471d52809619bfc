import ArgumentParser
import ClassifierWorker
import ConciergeIntents
import Foundation
import IntentClassifier

// Commands that train, evaluate and benchmark the embedded intent model. They use only ArgumentParser,
// IntentClassifier and Foundation; the root command registers `TrainCommand` and `EvalCommand` directly and
// `BenchClassifierCommand` under `bench` (its command name is `classifier`).

/// `conciergectl train --data FILE.csv --out MODEL` (or `--catalog config/intents.yaml`): trains an intent model and
/// writes it. Training is deterministic: the shipped default model is reproducible from the catalog.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the intent model on a CSV of labelled texts and write the model file.",
        discussion: """
            The CSV has a header row with a `text` column and a `label` (or `category`) column. With --catalog, the \
            examples of the intent catalog are the training data.
            """
    )

    @Option(name: .long, help: "CSV of labelled texts (header `text,label` or `text,category`).")
    var data: String?

    @Option(name: .long, help: "An intent catalog (config/intents.yaml) whose examples are the training data.")
    var catalog: String?

    @Option(name: .long, help: "Where to write the model file.")
    var out: String

    @Option(name: .long, help: "Training epochs.")
    var epochs: Int = TrainingOptions().epochs

    @Option(name: .long, help: "Random seed (the same data and seed give the same model).")
    var seed: UInt64 = TrainingOptions().seed

    /// How out-of-scope examples (label `out_of_scope`) train: as a label of their own (the shipped model), or as
    /// negatives that lower the confidence of texts like them (to compare the two on held-out data).
    enum OutOfScopeTraining: String, ExpressibleByArgument, CaseIterable {
        case label, negatives
    }

    @Option(
        name: .long, help: "Out-of-scope examples train as a label of their own (label) or as negatives (negatives).")
    var outOfScopeAs: OutOfScopeTraining = .label

    func validate() throws {
        guard (self.data == nil) != (self.catalog == nil) else {
            throw ValidationError("give exactly one of --data or --catalog")
        }
    }

    func run() throws {
        let examples =
            try self.catalog.map { try IntentCatalog.load(path: $0).trainingData }
            ?? ClassifierCLI.readExamples(self.data!)
        var options = TrainingOptions()
        options.epochs = epochs
        options.seed = seed
        if outOfScopeAs == .negatives { options.negativeLabel = IntentCatalog.outOfScopeLabel }
        let clock = ContinuousClock()
        var model: IntentModel?
        let duration = clock.measure { model = IntentModel.train(examples, options: options) }
        try model!.write(to: out)
        let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
        print("examples:       \(examples.count)")
        print("labels:         \(model!.labels.count)")
        print("features:       \(model!.featureCount)")
        print("temperature:    \(ClassifierCLI.format(Double(model!.temperature), digits: 3))")
        print("training time:  \(ClassifierCLI.seconds(duration)) s")
        print("model file:     \(out) (\(ClassifierCLI.megabytes(size)) MB)")
    }
}

/// `conciergectl eval --model MODEL --data FILE.csv`: accuracy, macro-F1, weakest intents, most confused pairs.
/// With `--out-of-scope-label L`, texts labelled L are out of scope: the in-scope figures leave them out, and the
/// command reports in-scope accuracy and out-of-scope recall at `--threshold`, the threshold that balances them, the
/// lowest threshold where both reach `--target`, and the curve in steps of 0.05, so an operator can choose
/// `confidence_threshold` (config/routing.yaml) on held-out data.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an intent model on a CSV of labelled texts."
    )

    @Option(name: .long, help: "The model file.")
    var model: String

    @Option(name: .long, help: "CSV of labelled texts (header `text,label` or `text,category`).")
    var data: String

    @Option(name: .long, help: "How many of the weakest intents to list.")
    var weakest: Int = 10

    @Option(name: .long, help: "How many of the most confused label pairs to list.")
    var confused: Int = 10

    @Option(
        name: .long,
        help:
            "The label of out-of-scope texts in the data (e.g. out_of_scope): report in-scope accuracy and out-of-scope recall."
    )
    var outOfScopeLabel: String?

    @Option(
        name: .long,
        help:
            "The confidence threshold to report the out-of-scope figures at (e.g. routing.yaml's confidence_threshold)."
    )
    var threshold: Double = 0.5

    @Option(
        name: .long, help: "With --out-of-scope-label: also report the lowest threshold where both rates reach this.")
    var target: Double = 0.9

    func run() throws {
        let intentModel = try IntentModel.load(from: model)
        let examples = try ClassifierCLI.readExamples(data)
        guard let outOfScopeLabel else {
            print(IntentEvaluation.evaluate(intentModel, on: examples).report(weakest: weakest, confused: confused))
            return
        }
        print(
            IntentEvaluation.evaluate(intentModel, on: examples.filter { $0.label != outOfScopeLabel }).report(
                weakest: weakest, confused: confused))
        let calibration = OutOfScopeCalibration(
            model: intentModel, examples: examples, outOfScopeLabel: outOfScopeLabel)
        func line(_ name: String, _ point: OutOfScopeCalibration.Point) -> String {
            name
                + String(
                    format: " %.2f: in-scope accuracy %.4f, out-of-scope recall %.4f", point.threshold,
                    point.inScopeAccuracy, point.outOfScopeRecall)
        }
        print("out of scope (\(calibration.inScopeCount) in-scope, \(calibration.outOfScopeCount) out-of-scope texts):")
        print("  " + line("at threshold", calibration.at(threshold)))
        print("  " + line("balanced at ", calibration.balanced))
        if let target = calibration.lowest(inScopeAccuracy: target, outOfScopeRecall: target) {
            print("  " + line("lowest with both >= \(ClassifierCLI.format(self.target, digits: 2)) at", target))
        } else {
            print("  no threshold gives both >= \(ClassifierCLI.format(target, digits: 2))")
        }
        print("threshold  in-scope accuracy  out-of-scope recall")
        for point in calibration.curve where Int((point.threshold * 100).rounded()) % 5 == 0 {
            print(
                String(
                    format: "     %.2f             %.4f               %.4f", point.threshold, point.inScopeAccuracy,
                    point.outOfScopeRecall))
        }
    }
}

/// `conciergectl bench classifier [--train F --test F]`: trains on Banking77 and reports training time,
/// accuracy, macro-F1 and single-core classifications per second.
struct BenchClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Benchmark the intent model on Banking77: training time, accuracy, macro-F1, classifications/s.",
        discussion: "Defaults to ../shared/data/banking77/{train,test}.csv relative to the current directory."
    )

    @Option(name: .long, help: "Training CSV.")
    var train: String = "../shared/data/banking77/train.csv"

    @Option(name: .long, help: "Test CSV.")
    var test: String = "../shared/data/banking77/test.csv"

    @Option(name: .long, help: "How many predictions to time (on one thread).")
    var predictions: Int = 200_000

    @Option(name: .long, help: "Also write the trained model here (to check its size).")
    var out: String?

    @OptionGroup(title: "Training options (default: the shipped defaults)")
    var training: TrainingFlags

    func run() throws {
        for path in [train, test] where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError(
                "benchmark data not found: \(path) (pass --train/--test, or run from the repository root with "
                    + "../shared/data/banking77 beside it)")
        }
        let trainExamples = try ClassifierCLI.readExamples(train)
        let testExamples = try ClassifierCLI.readExamples(test)
        let clock = ContinuousClock()

        var trained: IntentModel?
        let options = try training.options()
        let trainingTime = clock.measure { trained = IntentModel.train(trainExamples, options: options) }
        let model = trained!
        print("train examples:   \(trainExamples.count) (\(model.labels.count) labels, \(model.featureCount) features)")
        print("training time:    \(ClassifierCLI.seconds(trainingTime)) s")

        let evaluation = IntentEvaluation.evaluate(model, on: testExamples)
        print("test examples:    \(testExamples.count)")
        print("accuracy:         \(ClassifierCLI.format(evaluation.accuracy, digits: 4))")
        print("macro-F1:         \(ClassifierCLI.format(evaluation.macroF1, digits: 4))")

        if let out {
            try model.write(to: out)
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            print("model file:       \(ClassifierCLI.megabytes(size)) MB")
        }

        // One thread, cycling over the test texts.
        let texts = testExamples.map(\.text)
        let count = max(1, predictions)
        var checksum = 0.0
        let cpuStart = ClassifierCLI.threadCPUSeconds()
        let predictionTime = clock.measure {
            for i in 0..<count {
                checksum += model.predict(texts[i % texts.count], top: 3).confidence
            }
        }
        let cpuSeconds = ClassifierCLI.threadCPUSeconds() - cpuStart
        let perSecond = Double(count) / ClassifierCLI.secondsValue(predictionTime)
        print("classifications:  \(count) in \(ClassifierCLI.seconds(predictionTime)) s on one thread")
        let microseconds = ClassifierCLI.format(1e6 / perSecond, digits: 2)
        print("throughput:       \(Int(perSecond)) classifications/s (\(microseconds) µs each)")
        if cpuSeconds > 0 {
            // Wall-clock throughput suffers when other processes share the core; CPU time does not.
            print("per CPU second:   \(Int(Double(count) / cpuSeconds)) classifications/s of thread CPU time")
        }
        if checksum.isNaN { print("(checksum NaN)") }  // keeps the loop from being optimised away
    }
}

/// Hyper-parameters of ``TrainingOptions`` as flags, so a benchmark can try a setting without a rebuild; every flag
/// left out keeps the default.
struct TrainingFlags: ParsableArguments {
    @Option(name: .long, help: "Training epochs.")
    var epochs: Int?
    @Option(name: .long, help: "Adam step size at the start (decays linearly to zero).")
    var learningRate: Double?
    @Option(name: .long, help: "L2 penalty.")
    var l2: Double?
    @Option(name: .long, help: "Examples per optimizer step.")
    var batchSize: Int?
    @Option(name: .long, help: "Longest word n-gram (1 or 2).")
    var wordNgrams: Int?
    @Option(name: .long, help: "Character n-gram lengths, e.g. 2-5 (0-0: none).")
    var charNgrams: String?
    @Option(name: .long, help: "Word pairs up to this many positions apart (0: none).")
    var skipGrams: Int?
    @Flag(name: .long, help: "Character n-grams across word boundaries.")
    var crossWordChars = false
    @Option(name: .long, help: "Weight of the word block.")
    var wordWeight: Double?
    @Option(name: .long, help: "Weight of the character block.")
    var charWeight: Double?
    @Option(name: .long, help: "Drop features seen in fewer training texts than this.")
    var minDf: Int?
    @Flag(name: .long, help: "Train a squared-hinge (linear SVM) loss instead of the logistic loss.")
    var squaredHinge = false
    @Option(name: .long, help: "Share held out to fit the softmax temperature (0: no calibration).")
    var calibrationFraction: Double?

    func options() throws -> TrainingOptions {
        var options = TrainingOptions()
        if let epochs { options.epochs = epochs }
        if let learningRate { options.learningRate = learningRate }
        if let l2 { options.l2 = l2 }
        if let batchSize { options.batchSize = batchSize }
        if let wordNgrams { options.maxWordNGram = wordNgrams }
        if let charNgrams {
            let bounds = charNgrams.split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1], bounds[0] >= 0 else {
                throw ValidationError("--char-ngrams takes MIN-MAX, e.g. 2-5")
            }
            options.charNGrams = bounds[0]...bounds[1]
        }
        if let skipGrams { options.skipGramWindow = skipGrams }
        if crossWordChars { options.crossWordChars = true }
        if let wordWeight { options.wordWeight = wordWeight }
        if let charWeight { options.charWeight = charWeight }
        if let minDf { options.minDocumentFrequency = minDf }
        if squaredHinge { options.loss = .squaredHinge }
        if let calibrationFraction { options.calibrationFraction = calibrationFraction }
        return options
    }
}

/// Helpers shared by the classifier commands.
enum ClassifierCLI {
    static func readExamples(_ path: String) throws -> [LabeledText] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("file not found: \(path)")
        }
        let examples = try LabeledTextCSV.read(path: path)
        guard !examples.isEmpty else { throw ValidationError("no examples in \(path)") }
        return examples
    }

    /// CPU time consumed by the calling thread, in seconds (0 where unavailable).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    static func secondsValue(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    static func seconds(_ duration: Duration) -> String { format(secondsValue(duration), digits: 2) }

    static func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_000_000, digits: 1) }

    static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
