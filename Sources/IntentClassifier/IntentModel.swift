import Foundation

/// An embedded, trainable intent classifier: TF-IDF over word 1–2-grams and character 2–5-grams, multinomial
/// logistic regression, temperature-calibrated softmax confidences.
///
/// Train with ``train(_:options:)`` (seconds for ~10,000 examples), predict with ``predict(_:top:)`` (microseconds,
/// thread-safe: the model is immutable), persist with ``write(to:)`` and ``load(from:)``.
///
/// ## Model file format, version 1
///
/// One binary file, all integers and floats little-endian:
///
/// | bytes          | field                                                                          |
/// | -------------- | ------------------------------------------------------------------------------ |
/// | 8              | magic `ICLMODEL` (ASCII)                                                       |
/// | 4              | format version, `UInt32` (= ``formatVersion``)                                 |
/// | 4              | label count `K`, `UInt32`                                                      |
/// | 4              | feature count `F`, `UInt32`                                                    |
/// | 4              | longest word n-gram, `UInt32`                                                  |
/// | 4 + 4          | shortest and longest character n-gram, `UInt32` each                           |
/// | 4              | skip-gram window, `UInt32` (0: no word pairs beyond bigrams)                   |
/// | 4              | flags, `UInt32`: bit 0 set = character n-grams run across word boundaries      |
/// | 4 + 4          | word-block weight and character-block weight, `Float32` each                   |
/// | 4              | softmax temperature, `Float32`                                                 |
/// | K × (4 + n)    | labels: byte length `n` as `UInt32`, then UTF-8 bytes                          |
/// | F × 8          | feature keys, `UInt64` (64-bit hashes of the n-grams, see `FeatureExtractor`)  |
/// | F × 4          | idf per feature, `Float32`                                                     |
/// | K × 4          | bias per label, `Float32`                                                      |
/// | F × K × 2      | weights, feature-major, as bfloat16 (the upper 16 bits of a `Float32`)         |
/// | 8              | checksum: 64-bit FNV-1a of every preceding byte, `UInt64`                      |
///
/// Weights are rounded to bfloat16 when training ends, so a model loaded from a file predicts exactly what the
/// model that wrote it predicts. A file of another format version is rejected with
/// ``IntentModelError/Code-swift.enum/unsupportedVersion(found:expected:)``; a damaged file with `.corrupt`.
/// Any change to the layout or to the tokenisation/hashing must bump ``formatVersion``.
public final class IntentModel: Sendable {
    /// The model file format version this build reads and writes.
    public static let formatVersion: UInt32 = 1

    /// The labels the model can predict, sorted.
    public let labels: [String]
    let vectorizer: Vectorizer
    /// Weights, feature-major: row `f` holds `stride` floats, the first ``labels``.count used.
    let weights: [Float]
    /// Bias per label, padded to `stride`.
    let bias: [Float]
    /// Row length of `weights`: the label count rounded up to a multiple of 8.
    let stride: Int
    /// Softmax temperature: probabilities are `softmax(scores / temperature)`.
    public let temperature: Float

    init(labels: [String], vectorizer: Vectorizer, weights: [Float], bias: [Float], stride: Int, temperature: Float) {
        precondition(weights.count == vectorizer.table.count * stride && bias.count == stride)
        self.labels = labels
        self.vectorizer = vectorizer
        self.weights = weights
        self.bias = bias
        self.stride = stride
        self.temperature = temperature
    }

    /// The number of features (n-grams) the model knows.
    public var featureCount: Int { vectorizer.table.count }

    /// The most likely intent of `text` with its calibrated confidence and the `top - 1` runners-up.
    ///
    /// An empty model (no labels) is impossible: ``train(_:options:)`` requires at least one example.
    public func predict(_ text: String, top: Int = 3) -> IntentPrediction {
        var scratch = vectorizer.makeScratch()
        var probabilities = [Float](repeating: 0, count: stride)
        computeProbabilities(text, &scratch, into: &probabilities)
        let k = max(1, min(top, labels.count))
        // Partial selection of the k best (k is small).
        var best: [(index: Int, p: Float)] = []
        best.reserveCapacity(k + 1)
        for i in 0..<labels.count {
            let p = probabilities[i]
            if best.count == k, let last = best.last, p <= last.p { continue }
            var position = best.count
            while position > 0 && best[position - 1].p < p { position -= 1 }
            best.insert((i, p), at: position)
            if best.count > k { best.removeLast() }
        }
        return IntentPrediction(
            label: labels[best[0].index],
            confidence: Double(best[0].p),
            alternatives: best.dropFirst().map { .init(label: labels[$0.index], confidence: Double($0.p)) }
        )
    }

    /// The calibrated probability of every label for `text`, in the order of ``labels``.
    public func probabilities(_ text: String) -> [Double] {
        var scratch = vectorizer.makeScratch()
        var probabilities = [Float](repeating: 0, count: stride)
        computeProbabilities(text, &scratch, into: &probabilities)
        return probabilities.prefix(labels.count).map(Double.init)
    }

    /// Writes softmax probabilities (first `labels.count` entries) into `output` (count `stride`).
    func computeProbabilities(_ text: String, _ scratch: inout Vectorizer.Scratch, into output: inout [Float]) {
        vectorizer.vectorize(text, &scratch)
        let stride = self.stride
        let labelCount = labels.count
        let inverseTemperature = 1 / temperature
        output.withUnsafeMutableBufferPointer { out in
            bias.withUnsafeBufferPointer { bias in
                for c in 0..<stride { out[c] = bias[c] }
            }
            weights.withUnsafeBufferPointer { weights in
                scratch.indices.withUnsafeBufferPointer { indices in
                    scratch.values.withUnsafeBufferPointer { values in
                        LinearAlgebra.accumulate(
                            into: out.baseAddress!, weights: weights.baseAddress!, stride: stride,
                            indices: indices, values: values
                        )
                    }
                }
            }
            LinearAlgebra.softmax(out.baseAddress!, count: labelCount, scale: inverseTemperature)
        }
    }
}
