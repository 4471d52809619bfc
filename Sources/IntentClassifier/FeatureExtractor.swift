/// Extracts hashed feature keys from text. Keys are 64-bit hashes of the n-gram bytes, seeded per kind, so no
/// `String` is built per n-gram; the model maps known keys to feature indices.
struct FeatureExtractor {
    let settings: FeatureSettings
    var tokens = TokenBuffer()
    /// Keys of the word block (unigrams, bigrams), with repeats.
    var wordKeys: [UInt64] = []
    /// Keys of the character block, with repeats.
    var charKeys: [UInt64] = []

    init(settings: FeatureSettings) {
        self.settings = settings
        wordKeys.reserveCapacity(64)
        charKeys.reserveCapacity(512)
    }

    static let wordSeed: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let bigramSeed: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let charSeed: UInt64 = 0x1656_67B1_9E37_79F9

    /// Fills ``wordKeys`` and ``charKeys`` from `text`.
    mutating func extract(_ text: String) {
        tokens.tokenize(text)
        wordKeys.removeAll(keepingCapacity: true)
        charKeys.removeAll(keepingCapacity: true)
        let settings = self.settings
        let ranges = tokens.ranges
        let placeholders = tokens.isPlaceholder
        tokens.bytes.withUnsafeBufferPointer { bytes in
            var previous: UInt64 = 0
            for t in 0..<ranges.count {
                let range = ranges[t]
                var h = Self.wordSeed
                for i in range { h = Hashing.step(h, bytes[i]) }
                let unigram = Hashing.finish(h)
                wordKeys.append(unigram)
                if settings.maxWordNGram >= 2 && t > 0 {
                    wordKeys.append(Hashing.finish(Hashing.combine(previous, unigram, seed: Self.bigramSeed)))
                }
                previous = unigram
                if placeholders[t] || settings.charNGrams.upperBound < 1 { continue }
                // Character n-grams of " token ": positions -1 and count are the padding spaces.
                let lower = range.lowerBound - 1
                let upper = range.upperBound + 1
                let minN = settings.charNGrams.lowerBound
                let maxN = settings.charNGrams.upperBound
                for s in lower..<upper {
                    var g = Self.charSeed
                    var n = 0
                    var i = s
                    while i < upper && n < maxN {
                        let byte = (i == lower || i == upper - 1) ? UInt8(ascii: " ") : bytes[i]
                        g = Hashing.step(g, byte)
                        n += 1
                        i += 1
                        if n >= minN { charKeys.append(Hashing.finish(g)) }
                    }
                }
            }
        }
    }
}
