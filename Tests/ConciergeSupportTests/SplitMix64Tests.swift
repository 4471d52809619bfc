import ConciergeSupport
import Testing

/// The values were recorded from the generator before it moved here from ConciergeCore (and match the reference
/// SplitMix64: seed 0 starts with 0xe220a8397b1dcdaf). Demo data, simulations and trained models depend on them.
@Suite struct SplitMix64Tests {
    @Test(
        arguments: [
            (0, [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f]),
            (42, [0xbdd7_3226_2feb_6e95, 0x28ef_e333_b266_f103, 0x4752_6757_130f_9f52]),
        ] as [(UInt64, [UInt64])])
    func knownSequences(seed: UInt64, expected: [UInt64]) {
        var generator = SplitMix64(seed: seed)
        #expect((0..<3).map { _ in generator.next() } == expected)
    }

    @Test func fnv1aOfKnownStrings() {
        #expect(SplitMix64.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(SplitMix64.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(SplitMix64.fnv1a("concierge") == 0x10f2_536f_ac97_d3c0)
    }

    @Test func aStringSeedIsItsFNV1a() {
        var fromText = SplitMix64(seed: "concierge")
        var fromHash = SplitMix64(seed: SplitMix64.fnv1a("concierge"))
        let values = (0..<2).map { _ in fromText.next() }
        #expect(values == [0x2a7f_eae6_0789_b1b7, 0x8592_2366_ead7_7d93])
        #expect(values == (0..<2).map { _ in fromHash.next() })
    }

    @Test func differentSeedsDiffer() {
        var a = SplitMix64(seed: 1)
        var b = SplitMix64(seed: 2)
        #expect(a.next() != b.next())
    }
}
