/// How text becomes a feature vector; fixed at training time and stored in the model file.
struct FeatureSettings: Sendable, Hashable {
    /// Longest word n-gram (1 = unigrams only, 2 = unigrams and bigrams).
    var maxWordNGram: Int
    /// Shortest and longest character n-gram, taken inside each word padded with a space on both sides.
    var charNGrams: ClosedRange<Int>
    /// Pairs of words 2 up to this many positions apart are features too (0 or 1: none).
    var skipGramWindow: Int = 0
    /// Character n-grams run over the whole text (words joined by one space) instead of inside each word.
    var crossWordChars: Bool = false
    /// Weight of the l2-normalised word block in the concatenated vector.
    var wordWeight: Float
    /// Weight of the l2-normalised character block in the concatenated vector.
    var charWeight: Float
}
