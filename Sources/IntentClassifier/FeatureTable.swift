/// An open-addressing map from feature key to feature index, built once and read-only afterwards.
///
/// Keys are the 64-bit hashes of ``FeatureExtractor``; the index of key `keys[i]` is `i`.
struct FeatureTable: Sendable {
    /// The known keys in feature-index order.
    let keys: [UInt64]
    private let slotKeys: [UInt64]
    private let slotIndices: [Int32]
    private let mask: Int

    init(keys: [UInt64]) {
        self.keys = keys
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        var slotKeys = [UInt64](repeating: 0, count: capacity)
        var slotIndices = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key) & mask
            while slotKeys[slot] != 0 && slotKeys[slot] != key { slot = (slot + 1) & mask }
            slotKeys[slot] = key
            slotIndices[slot] = Int32(index)
        }
        self.slotKeys = slotKeys
        self.slotIndices = slotIndices
        self.mask = mask
    }

    var count: Int { keys.count }

    /// Appends the index of each known key in `input` to `output`; unknown keys are skipped.
    func lookup(_ input: [UInt64], into output: inout [Int32]) {
        slotKeys.withUnsafeBufferPointer { slotKeys in
            slotIndices.withUnsafeBufferPointer { slotIndices in
                for key in input {
                    var slot = Int(truncatingIfNeeded: key) & mask
                    while true {
                        let found = slotKeys[slot]
                        if found == key {
                            output.append(slotIndices[slot])
                            break
                        }
                        if found == 0 { break }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }
}
