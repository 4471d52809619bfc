import ConciergeSupport
import Foundation
public import IntentClassifier

/// `conciergectl bench classifier`: trains on one set of labelled texts, evaluates on another and times single-thread
/// classifications; the figures are training time, accuracy, macro-F1 and classifications per second (wall clock and
/// thread CPU time).
public struct ClassifierBenchmark: Sendable {
    public var train: [LabeledText]
    public var test: [LabeledText]
    public var options: TrainingOptions
    /// How many predictions to time (at least one), cycling over the test texts.
    public var predictions: Int
    /// Where to write the trained model as well (to report its size), or nil.
    public var modelPath: String?

    public init(
        train: [LabeledText], test: [LabeledText], options: TrainingOptions = .init(), predictions: Int = 200_000,
        modelPath: String? = nil
    ) {
        self.train = train
        self.test = test
        self.options = options
        self.predictions = predictions
        self.modelPath = modelPath
    }

    /// Runs the benchmark, handing each line of the report to `emit` as soon as its figure is known.
    public func run(_ emit: (String) -> Void) throws {
        let clock = ContinuousClock()
        var trained: IntentModel?
        let trainingTime = clock.measure { trained = IntentModel.train(self.train, options: self.options) }
        guard let model = trained else { preconditionFailure("measure runs its body") }
        emit("train examples:   \(self.train.count) (\(model.labels.count) labels, \(model.featureCount) features)")
        emit("training time:    \(Figures.seconds(trainingTime)) s")

        let evaluation = IntentEvaluation.evaluate(model, on: self.test)
        emit("test examples:    \(self.test.count)")
        emit("accuracy:         \(Figures.format(evaluation.accuracy, digits: 4))")
        emit("macro-F1:         \(Figures.format(evaluation.macroF1, digits: 4))")

        if let modelPath {
            try model.write(to: modelPath)
            emit("model file:       \(Figures.megabytes(Figures.fileSize(modelPath))) MB")
        }

        // One thread, cycling over the test texts.
        let texts = self.test.map(\.text)
        let count = max(1, self.predictions)
        var checksum = 0.0
        let cpuStart = Self.threadCPUSeconds()
        let predictionTime = clock.measure {
            for i in 0..<count {
                checksum += model.predict(texts[i % texts.count], top: 3).confidence
            }
        }
        let cpuSeconds = Self.threadCPUSeconds() - cpuStart
        let perSecond = Double(count) / predictionTime.inSeconds
        emit("classifications:  \(count) in \(Figures.seconds(predictionTime)) s on one thread")
        let microseconds = Figures.format(1e6 / perSecond, digits: 2)
        emit("throughput:       \(Int(perSecond)) classifications/s (\(microseconds) µs each)")
        if cpuSeconds > 0 {
            // Wall-clock throughput suffers when other processes share the core; CPU time does not.
            emit("per CPU second:   \(Int(Double(count) / cpuSeconds)) classifications/s of thread CPU time")
        }
        if checksum.isNaN { emit("(checksum NaN)") }  // keeps the loop from being optimised away
    }

    /// CPU time consumed by the calling thread, in seconds (0 where unavailable).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
