/// Accuracy, macro-F1, per-label scores and the most confused label pairs of a model on labelled data.
public struct IntentEvaluation: Sendable {
    /// Precision, recall and F1 of one label.
    public struct LabelScore: Sendable, Hashable {
        /// The label.
        public var label: String
        /// Of the texts predicted as this label, the share that had it (0 when none were predicted).
        public var precision: Double
        /// Of the texts with this label, the share predicted as it (0 when there were none).
        public var recall: Double
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double
        /// How many evaluated texts had this label.
        public var support: Int

        /// Creates a score.
        public init(label: String, precision: Double, recall: Double, f1: Double, support: Int) {
            self.label = label
            self.precision = precision
            self.recall = recall
            self.f1 = f1
            self.support = support
        }
    }

    /// A kind of mistake: texts labelled `expected` predicted as `predicted`.
    public struct ConfusedPair: Sendable, Hashable {
        /// The true label.
        public var expected: String
        /// The label the model chose.
        public var predicted: String
        /// How many texts.
        public var count: Int

        /// Creates a pair.
        public init(expected: String, predicted: String, count: Int) {
            self.expected = expected
            self.predicted = predicted
            self.count = count
        }
    }

    /// Share of texts whose top prediction is their label.
    public var accuracy: Double
    /// Unweighted mean of the per-label F1 over the labels that occur in the data or in the predictions.
    public var macroF1: Double
    /// Number of texts evaluated.
    public var count: Int
    /// Scores per label, sorted by label.
    public var perLabel: [LabelScore]
    /// Mistakes grouped by (expected, predicted), most frequent first (ties by label names).
    public var confusedPairs: [ConfusedPair]

    /// Evaluates `model` on `examples` (top-1 predictions).
    public static func evaluate(_ model: IntentModel, on examples: [LabeledText]) -> IntentEvaluation {
        evaluate(pairs: examples.map { ($0.label, model.predict($0.text, top: 1).label) })
    }

    /// Evaluates given (expected, predicted) label pairs.
    public static func evaluate(pairs: [(expected: String, predicted: String)]) -> IntentEvaluation {
        var truePositives: [String: Int] = [:]
        var predictedCount: [String: Int] = [:]
        var support: [String: Int] = [:]
        var confusions: [Pair: Int] = [:]
        var correct = 0
        for (expected, predicted) in pairs {
            support[expected, default: 0] += 1
            predictedCount[predicted, default: 0] += 1
            if expected == predicted {
                correct += 1
                truePositives[expected, default: 0] += 1
            } else {
                confusions[Pair(expected: expected, predicted: predicted), default: 0] += 1
            }
        }
        let labels = Set(support.keys).union(predictedCount.keys).sorted()
        let perLabel = labels.map { label -> LabelScore in
            let tp = Double(truePositives[label] ?? 0)
            let predicted = Double(predictedCount[label] ?? 0)
            let actual = Double(support[label] ?? 0)
            let precision = predicted > 0 ? tp / predicted : 0
            let recall = actual > 0 ? tp / actual : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return LabelScore(label: label, precision: precision, recall: recall, f1: f1, support: Int(actual))
        }
        let confused =
            confusions
            .map { ConfusedPair(expected: $0.key.expected, predicted: $0.key.predicted, count: $0.value) }
            .sorted {
                ($0.count, $1.expected, $1.predicted) > ($1.count, $0.expected, $0.predicted)
            }
        return IntentEvaluation(
            accuracy: pairs.isEmpty ? 0 : Double(correct) / Double(pairs.count),
            macroF1: perLabel.isEmpty ? 0 : perLabel.map(\.f1).reduce(0, +) / Double(perLabel.count),
            count: pairs.count,
            perLabel: perLabel,
            confusedPairs: confused
        )
    }

    private struct Pair: Hashable {
        var expected: String
        var predicted: String
    }

    /// A plain-text summary: accuracy, macro-F1, the `weakest` labels by F1 and the `confused` most frequent
    /// mistakes.
    public func report(weakest: Int = 10, confused: Int = 10) -> String {
        var lines: [String] = []
        lines.append("examples:  \(count)")
        lines.append("accuracy:  \(Self.format(accuracy))")
        lines.append("macro-F1:  \(Self.format(macroF1))")
        let weakestLabels = perLabel.sorted { ($0.f1, $0.label) < ($1.f1, $1.label) }.prefix(max(0, weakest))
        if !weakestLabels.isEmpty {
            lines.append("weakest intents (F1, precision, recall, support):")
            for score in weakestLabels {
                lines.append(
                    "  \(Self.format(score.f1))  \(Self.format(score.precision))  \(Self.format(score.recall))  "
                        + "\(String(score.support).leftPadded(to: 4))  \(score.label)")
            }
        }
        let pairs = confusedPairs.prefix(max(0, confused))
        if !pairs.isEmpty {
            lines.append("most confused (count: expected -> predicted):")
            for pair in pairs {
                lines.append("  \(String(pair.count).leftPadded(to: 4)): \(pair.expected) -> \(pair.predicted)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Four decimals, without Foundation's locale-dependent formatting.
    static func format(_ value: Double) -> String {
        let scaled = Int((value * 10_000).rounded())
        let whole = scaled / 10_000
        let fraction = String(scaled % 10_000).leftPadded(to: 4, with: "0")
        return "\(whole).\(fraction)"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
