/// Hyper-parameters of ``IntentModel/train(_:options:)``. The defaults are tuned on Banking77.
public struct TrainingOptions: Sendable, Hashable {
    /// Longest word n-gram: 1 for unigrams, 2 for unigrams and bigrams.
    public var maxWordNGram: Int = 2
    /// Character n-gram lengths, taken inside each word padded with one space on both sides.
    public var charNGrams: ClosedRange<Int> = 2...5
    /// Pairs of words 2 up to this many positions apart are features too (0: none).
    public var skipGramWindow: Int = 0
    /// Character n-grams run over the whole text (words joined by one space) instead of inside each word.
    public var crossWordChars: Bool = false
    /// Weight of the (l2-normalised) word block.
    public var wordWeight: Double = 1.0
    /// Weight of the (l2-normalised) character block.
    public var charWeight: Double = 1.0
    /// Features seen in fewer training texts than this are dropped (keeps the model file small).
    public var minDocumentFrequency: Int = 2
    /// The training loss.
    public enum Loss: Sendable, Hashable {
        /// Multinomial logistic regression (cross-entropy of the softmax).
        case logistic
        /// Multiclass (Weston–Watkins) squared hinge, a linear SVM; confidences come from the calibrated softmax
        /// of its scores.
        case squaredHinge
    }

    /// The training loss.
    public var loss: Loss = .logistic
    /// Passes over the training data.
    public var epochs: Int = 12
    /// Examples per optimizer step.
    public var batchSize: Int = 32
    /// Adam step size at the start; it decays linearly to zero over the epochs.
    public var learningRate: Double = 0.005
    /// L2 penalty on the weights (coupled, applied to the rows a batch touches).
    public var l2: Double = 1e-5
    /// Share of the training data held out (stratified) to fit the softmax temperature; 0 disables calibration.
    /// The final model is then trained on all the data with the fitted temperature.
    public var calibrationFraction: Double = 0.1
    /// Examples with this label are negatives, not a label of their own: the model is trained to give them the
    /// uniform distribution over the other labels, which lowers its confidence on texts like them (so a threshold
    /// rejects them). Nil: every label is a label. With the squared hinge, negatives still get the logistic loss's gradient.
    public var negativeLabel: String? = nil
    /// Seed of the shuffling; the same data, options and seed give the same model, bit for bit.
    public var seed: UInt64 = 77

    /// The defaults.
    public init() {}
}
