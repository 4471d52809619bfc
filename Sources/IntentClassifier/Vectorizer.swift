import Foundation

/// Turns text into the model's sparse TF-IDF vector: per block (words, characters) sublinear term frequency
/// `1 + ln(count)` times the feature's idf, l2-normalised, then scaled by the block weight.
struct Vectorizer: Sendable {
    let settings: FeatureSettings
    let table: FeatureTable
    /// Inverse document frequency per feature index.
    let idf: [Float]

    /// Reusable buffers for one thread.
    struct Scratch {
        var extractor: FeatureExtractor
        var found: [Int32] = []
        var indices: [Int32] = []
        var values: [Float] = []
        /// Open-addressing slots used to count repeated features.
        var slots: [Int32] = []

        init(settings: FeatureSettings) {
            extractor = FeatureExtractor(settings: settings)
            found.reserveCapacity(512)
            indices.reserveCapacity(512)
            values.reserveCapacity(512)
        }
    }

    func makeScratch() -> Scratch { Scratch(settings: settings) }

    /// Fills `scratch.indices` / `scratch.values` with the vector of `text` (word block first, then characters;
    /// within a block, features in the order they first occur).
    func vectorize(_ text: String, _ scratch: inout Scratch) {
        scratch.extractor.extract(text)
        scratch.indices.removeAll(keepingCapacity: true)
        scratch.values.removeAll(keepingCapacity: true)
        scratch.found.removeAll(keepingCapacity: true)
        table.lookup(scratch.extractor.wordKeys, into: &scratch.found)
        appendBlock(&scratch, weight: settings.wordWeight)
        scratch.found.removeAll(keepingCapacity: true)
        table.lookup(scratch.extractor.charKeys, into: &scratch.found)
        appendBlock(&scratch, weight: settings.charWeight)
    }

    private func appendBlock(_ scratch: inout Scratch, weight: Float) {
        guard !scratch.found.isEmpty, weight > 0 else { return }
        // Count repeats with a small open-addressing set (faster than sorting); features keep the order of
        // their first occurrence, so the vector is the same on every run.
        var capacity = 16
        while capacity < scratch.found.count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        let shift = UInt32(32 - capacity.trailingZeroBitCount)
        if scratch.slots.count < capacity { scratch.slots = [Int32](repeating: -1, count: capacity) }
        let begin = scratch.values.count
        scratch.slots.withUnsafeMutableBufferPointer { slots in
            for i in 0..<capacity { slots[i] = -1 }
            for feature in scratch.found {
                var slot = Int((UInt32(bitPattern: feature) &* 0x9E37_79B1) >> shift) & mask
                while true {
                    let position = slots[slot]
                    if position < 0 {
                        slots[slot] = Int32(scratch.indices.count)
                        scratch.indices.append(feature)
                        scratch.values.append(1)
                        break
                    }
                    if scratch.indices[Int(position)] == feature {
                        scratch.values[Int(position)] += 1
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        var sumSquares: Float = 0
        idf.withUnsafeBufferPointer { idf in
            for k in begin..<scratch.values.count {
                let value = (1 + logf(scratch.values[k])) * idf[Int(scratch.indices[k])]
                scratch.values[k] = value
                sumSquares += value * value
            }
        }
        let scale = weight / sumSquares.squareRoot()
        for k in begin..<scratch.values.count { scratch.values[k] *= scale }
    }
}
