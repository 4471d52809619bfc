/// SplitMix64: a tiny, fast, seeded random number generator, so demo data, simulations, the intent model's training
/// and property tests are the same on every machine, every run and every Swift version (the standard library's
/// generators and shuffles make no such promise). Not for anything security-related.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    /// A generator seeded from a string (FNV-1a 64 of its UTF-8 bytes).
    public init(seed text: String) {
        self.init(seed: Self.fnv1a(text))
    }

    /// FNV-1a 64 of `text`'s UTF-8 bytes: a hash that is the same in every process (Swift's `hashValue` is seeded
    /// per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9e37_79b9_7f4a_7c15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
