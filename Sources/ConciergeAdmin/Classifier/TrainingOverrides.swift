public import IntentClassifier

/// Hyper-parameters that replace ``TrainingOptions``' defaults, so a benchmark can try a setting without a rebuild
/// (`conciergectl train` and `bench classifier` fill it from their flags). Every one left nil keeps the default.
public struct TrainingOverrides: Sendable, Hashable {
    public var epochs: Int?
    public var seed: UInt64?
    public var learningRate: Double?
    public var l2: Double?
    public var batchSize: Int?
    public var maxWordNGram: Int?
    public var charNGrams: ClosedRange<Int>?
    public var skipGramWindow: Int?
    /// Only `true` overrides (a flag cannot turn the default off).
    public var crossWordChars = false
    public var wordWeight: Double?
    public var charWeight: Double?
    public var minDocumentFrequency: Int?
    /// Only `true` overrides: the squared-hinge loss instead of the logistic one.
    public var squaredHinge = false
    public var calibrationFraction: Double?
    /// A label whose examples train as negatives instead of as a label of their own.
    public var negativeLabel: String?

    public init() {}

    /// The defaults with every override applied.
    public var options: TrainingOptions {
        var options = TrainingOptions()
        if let epochs { options.epochs = epochs }
        if let seed { options.seed = seed }
        if let learningRate { options.learningRate = learningRate }
        if let l2 { options.l2 = l2 }
        if let batchSize { options.batchSize = batchSize }
        if let maxWordNGram { options.maxWordNGram = maxWordNGram }
        if let charNGrams { options.charNGrams = charNGrams }
        if let skipGramWindow { options.skipGramWindow = skipGramWindow }
        if crossWordChars { options.crossWordChars = true }
        if let wordWeight { options.wordWeight = wordWeight }
        if let charWeight { options.charWeight = charWeight }
        if let minDocumentFrequency { options.minDocumentFrequency = minDocumentFrequency }
        if squaredHinge { options.loss = .squaredHinge }
        if let calibrationFraction { options.calibrationFraction = calibrationFraction }
        if let negativeLabel { options.negativeLabel = negativeLabel }
        return options
    }

    /// Character n-gram lengths written `MIN-MAX` (`2-5`; `0-0`: none), or nil when `text` is not that.
    public static func charNGrams(_ text: String) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1], bounds[0] >= 0 else { return nil }
        return bounds[0]...bounds[1]
    }
}
