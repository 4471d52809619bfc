/// How a confidence threshold trades in-scope answers against rejecting out-of-scope texts, on labelled data where
/// out-of-scope texts carry one label (e.g. `out_of_scope`).
///
/// At a threshold t an in-scope text counts as right when the model's label is its label and the confidence is at
/// least t (below t it would go to a person as unknown); an out-of-scope text counts as rejected when the confidence
/// is below t, or when the model itself gives it the out-of-scope label (a model trained with out-of-scope examples
/// as a label of their own: such a text has no intent at any threshold). The balanced threshold maximises the
/// smaller of the two rates (ties: the lower threshold).
public struct OutOfScopeCalibration: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var threshold: Double
        public var inScopeAccuracy: Double
        public var outOfScopeRecall: Double
    }

    public var inScopeCount: Int
    public var outOfScopeCount: Int
    /// Every candidate threshold (0.00, 0.01, ... 1.00).
    public var curve: [Point]

    /// One scored text: what the model said and what the label is.
    public struct Scored: Sendable, Hashable {
        public var predicted: String
        public var confidence: Double
        public var label: String

        public init(predicted: String, confidence: Double, label: String) {
            self.predicted = predicted
            self.confidence = confidence
            self.label = label
        }
    }

    public init(_ scored: [Scored], outOfScopeLabel: String) {
        let inScope = scored.filter { $0.label != outOfScopeLabel }
        let outOfScope = scored.filter { $0.label == outOfScopeLabel }
        self.inScopeCount = inScope.count
        self.outOfScopeCount = outOfScope.count
        self.curve = (0...100).map { step in
            let threshold = Double(step) / 100
            let right = inScope.count { $0.predicted == $0.label && $0.confidence >= threshold }
            let rejected = outOfScope.count { $0.predicted == outOfScopeLabel || $0.confidence < threshold }
            return Point(
                threshold: threshold,
                inScopeAccuracy: inScope.isEmpty ? 0 : Double(right) / Double(inScope.count),
                outOfScopeRecall: outOfScope.isEmpty ? 0 : Double(rejected) / Double(outOfScope.count)
            )
        }
    }

    /// Scores `examples` with `model`.
    public init(model: IntentModel, examples: [LabeledText], outOfScopeLabel: String) {
        self.init(
            examples.map { example in
                let prediction = model.predict(example.text)
                return Scored(predicted: prediction.label, confidence: prediction.confidence, label: example.label)
            },
            outOfScopeLabel: outOfScopeLabel
        )
    }

    /// The point at a given threshold (rounded to the curve's hundredths).
    public func at(_ threshold: Double) -> Point {
        self.curve[min(100, max(0, Int((threshold * 100).rounded())))]
    }

    /// The lowest threshold at which both rates reach their targets, or nil when none does.
    public func lowest(inScopeAccuracy: Double, outOfScopeRecall: Double) -> Point? {
        self.curve.first { $0.inScopeAccuracy >= inScopeAccuracy && $0.outOfScopeRecall >= outOfScopeRecall }
    }

    /// The threshold that balances the two: the largest min(in-scope accuracy, out-of-scope recall).
    public var balanced: Point {
        var best = self.curve[0]
        for point in self.curve
        where min(point.inScopeAccuracy, point.outOfScopeRecall) > min(best.inScopeAccuracy, best.outOfScopeRecall) {
            best = point
        }
        return best
    }
}
