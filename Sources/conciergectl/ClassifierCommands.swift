import ArgumentParser
import ClassifierWorker
import ConciergeAdmin
import ConciergeIntents
import Foundation
import IntentClassifier

// Commands that train, evaluate and benchmark the embedded intent model: their flags here, the training, the reports
// and the benchmark in ConciergeAdmin (Classifier/). The root command registers `TrainCommand` and `EvalCommand`
// directly and `BenchClassifierCommand` under `bench` (its command name is `classifier`).

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
            try self.catalog.map { try IntentCatalog.load(path: $0).trainingData } ?? readExamples(self.data!)
        var overrides = TrainingOverrides()
        overrides.epochs = self.epochs
        overrides.seed = self.seed
        if self.outOfScopeAs == .negatives { overrides.negativeLabel = IntentCatalog.outOfScopeLabel }
        try TrainingRun.train(examples, options: overrides.options, writingTo: self.out).lines.forEach { print($0) }
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
        let report = EvaluationReport(
            weakest: self.weakest, confused: self.confused, outOfScopeLabel: self.outOfScopeLabel,
            threshold: self.threshold, target: self.target)
        print(report.text(try IntentModel.load(from: self.model), on: try readExamples(self.data)))
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
        let trainExamples = try readExamples(self.train)
        let testExamples = try readExamples(self.test)
        let benchmark = ClassifierBenchmark(
            train: trainExamples, test: testExamples, options: try self.training.overrides().options,
            predictions: self.predictions, modelPath: self.out)
        try benchmark.run { print($0) }
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

    /// The flags as overrides of the shipped defaults; `--char-ngrams` must be MIN-MAX.
    func overrides() throws -> TrainingOverrides {
        var overrides = TrainingOverrides()
        overrides.epochs = self.epochs
        overrides.learningRate = self.learningRate
        overrides.l2 = self.l2
        overrides.batchSize = self.batchSize
        overrides.maxWordNGram = self.wordNgrams
        if let charNgrams {
            guard let range = TrainingOverrides.charNGrams(charNgrams) else {
                throw ValidationError("--char-ngrams takes MIN-MAX, e.g. 2-5")
            }
            overrides.charNGrams = range
        }
        overrides.skipGramWindow = self.skipGrams
        overrides.crossWordChars = self.crossWordChars
        overrides.wordWeight = self.wordWeight
        overrides.charWeight = self.charWeight
        overrides.minDocumentFrequency = self.minDf
        overrides.squaredHinge = self.squaredHinge
        overrides.calibrationFraction = self.calibrationFraction
        return overrides
    }
}

/// The examples in a CSV of labelled texts; a missing or empty file is a usage error, as any bad argument.
func readExamples(_ path: String) throws -> [LabeledText] {
    do {
        return try ExampleFile.read(path)
    } catch let error as ExampleFileError {
        throw ValidationError(error.description)
    }
}
