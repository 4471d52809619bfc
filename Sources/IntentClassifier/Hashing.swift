/// FNV-1a steps with a strong final mix; keys are never 0 (0 marks an empty slot in ``FeatureTable``).
enum Hashing {
    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 {
        (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64, seed: UInt64) -> UInt64 {
        (seed ^ a) &* 0xFF51_AFD7_ED55_8CCD ^ (b &+ 0x9E37_79B9_7F4A_7C15)
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 {
        var x = h
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x == 0 ? 1 : x
    }
}
