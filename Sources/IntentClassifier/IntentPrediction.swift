/// The result of ``IntentModel/predict(_:top:)``: the most likely intent with its calibrated confidence, and the
/// runners-up.
///
/// Confidences are temperature-calibrated softmax probabilities over all labels (they sum to 1 over all labels).
/// The caller decides what is out of scope: a confidence below its threshold means "unknown, hand to a human".
public struct IntentPrediction: Sendable, Hashable {
    /// One ranked label with its probability.
    public struct Alternative: Sendable, Hashable {
        /// The intent label.
        public var label: String
        /// Its calibrated probability in `0...1`.
        public var confidence: Double

        /// Creates an alternative.
        public init(label: String, confidence: Double) {
            self.label = label
            self.confidence = confidence
        }
    }

    /// The most likely label.
    public var label: String
    /// The calibrated probability of ``label``, in `0...1`.
    public var confidence: Double
    /// The next most likely labels, best first (`top - 1` of them), excluding ``label``.
    public var alternatives: [Alternative]

    /// Creates a prediction.
    public init(label: String, confidence: Double, alternatives: [Alternative]) {
        self.label = label
        self.confidence = confidence
        self.alternatives = alternatives
    }

    /// The top label followed by the alternatives, best first.
    public var ranked: [Alternative] {
        [Alternative(label: label, confidence: confidence)] + alternatives
    }
}
