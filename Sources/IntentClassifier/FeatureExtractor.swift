/// Extracts hashed feature keys from text. Keys are 64-bit hashes of the n-gram bytes, seeded per kind, so no
/// `String` is built per n-gram; the model maps known keys to feature indices.
struct FeatureExtractor {
    let settings: FeatureSettings
    var tokens = TokenBuffer()
    /// Keys of the word block (unigrams, bigrams), with repeats.
    var wordKeys: [UInt64] = []
    /// Keys of the character block, with repeats.
    var charKeys: [UInt64] = []
    private var unigrams: [UInt64] = []
    private var joined: [UInt8] = []

    init(settings: FeatureSettings) {
        self.settings = settings
        wordKeys.reserveCapacity(64)
        charKeys.reserveCapacity(512)
    }

    static let wordSeed: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let bigramSeed: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let skipSeed: UInt64 = 0x27D4_EB2F_1656_67C5
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
            unigrams.removeAll(keepingCapacity: true)
            for t in 0..<ranges.count {
                let range = ranges[t]
                var h = Self.wordSeed
                for i in range { h = Hashing.step(h, bytes[i]) }
                let unigram = Hashing.finish(h)
                wordKeys.append(unigram)
                if settings.maxWordNGram >= 2 && t > 0 {
                    wordKeys.append(Hashing.finish(Hashing.combine(previous, unigram, seed: Self.bigramSeed)))
                }
                if settings.skipGramWindow >= 2 {
                    var back = 2
                    while back <= settings.skipGramWindow && t - back >= 0 {
                        let pair = Hashing.combine(unigrams[t - back], unigram, seed: Self.skipSeed)
                        wordKeys.append(Hashing.finish(pair))
                        back += 1
                    }
                }
                unigrams.append(unigram)
                previous = unigram
                if settings.crossWordChars || placeholders[t] || settings.charNGrams.upperBound < 1 { continue }
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
        if settings.crossWordChars && settings.charNGrams.upperBound >= 1 {
            joined.removeAll(keepingCapacity: true)
            joined.append(UInt8(ascii: " "))
            for range in ranges {
                joined.append(contentsOf: tokens.bytes[range])
                joined.append(UInt8(ascii: " "))
            }
            let minN = settings.charNGrams.lowerBound
            let maxN = settings.charNGrams.upperBound
            joined.withUnsafeBufferPointer { bytes in
                for s in 0..<bytes.count {
                    var g = Self.charSeed
                    var n = 0
                    var i = s
                    while i < bytes.count && n < maxN {
                        g = Hashing.step(g, bytes[i])
                        n += 1
                        i += 1
                        if n >= minN { charKeys.append(Hashing.finish(g)) }
                    }
                }
            }
        }
    }
}
