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

        init(settings: FeatureSettings) {
            extractor = FeatureExtractor(settings: settings)
            found.reserveCapacity(512)
            indices.reserveCapacity(512)
            values.reserveCapacity(512)
        }
    }

    func makeScratch() -> Scratch { Scratch(settings: settings) }

    /// Fills `scratch.indices` / `scratch.values` with the vector of `text` (indices ascending within each block).
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
        scratch.found.sort()
        let begin = scratch.values.count
        var sumSquares: Float = 0
        idf.withUnsafeBufferPointer { idf in
            scratch.found.withUnsafeBufferPointer { found in
                var i = 0
                while i < found.count {
                    let feature = found[i]
                    var j = i + 1
                    while j < found.count && found[j] == feature { j += 1 }
                    let tf: Float = 1 + logf(Float(j - i))
                    let value = tf * idf[Int(feature)]
                    scratch.indices.append(feature)
                    scratch.values.append(value)
                    sumSquares += value * value
                    i = j
                }
            }
        }
        let scale = weight / sumSquares.squareRoot()
        for k in begin..<scratch.values.count { scratch.values[k] *= scale }
    }
}
