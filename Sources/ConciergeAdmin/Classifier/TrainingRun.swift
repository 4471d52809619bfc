public import IntentClassifier

/// `conciergectl train`: a model trained on examples and written to a file, and what the command prints about it.
public struct TrainingRun: Sendable {
    public var model: IntentModel
    public var examples: Int
    public var duration: Duration
    public var modelPath: String
    /// The written file's size (0 when it cannot be read back).
    public var modelBytes: Int

    /// Trains on `examples` with `options` (deterministic: the same data and seed give the same model) and writes the
    /// model to `path`.
    public static func train(
        _ examples: [LabeledText], options: TrainingOptions, writingTo path: String
    ) throws -> TrainingRun {
        let clock = ContinuousClock()
        var trained: IntentModel?
        let duration = clock.measure { trained = IntentModel.train(examples, options: options) }
        guard let model = trained else { preconditionFailure("measure runs its body") }
        try model.write(to: path)
        return TrainingRun(
            model: model, examples: examples.count, duration: duration, modelPath: path,
            modelBytes: Figures.fileSize(path))
    }

    public var lines: [String] {
        [
            "examples:       \(self.examples)",
            "labels:         \(self.model.labels.count)",
            "features:       \(self.model.featureCount)",
            "temperature:    \(Figures.format(Double(self.model.temperature), digits: 3))",
            "training time:  \(Figures.seconds(self.duration)) s",
            "model file:     \(self.modelPath) (\(Figures.megabytes(self.modelBytes)) MB)",
        ]
    }
}
