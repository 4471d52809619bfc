import ConciergeSupport
import Foundation

/// Fits multinomial logistic regression on sparse rows with mini-batch Adam.
///
/// Adam is applied lazily: only the weight rows of features present in a batch are updated (with an L2 term on
/// those rows), which keeps a step proportional to the batch's non-zeros rather than to the vocabulary. The step
/// size decays linearly to zero, which lets the last iterates settle without explicit averaging. Single-threaded
/// and seeded, so the result is bit-for-bit reproducible.
struct SoftmaxTrainer {
    let matrix: SparseMatrix
    let targets: [Int32]
    let featureCount: Int
    let labelCount: Int
    let stride: Int
    let options: TrainingOptions

    struct Parameters {
        var weights: [Float]
        var bias: [Float]
    }

    /// Trains on the rows in `rows` (indices into the matrix).
    func fit(rows: [Int], rng: inout SplitMix64) -> Parameters {
        let stride = self.stride
        let labelCount = self.labelCount
        let size = featureCount * stride
        var weights = [Float](repeating: 0, count: size)
        var bias = [Float](repeating: 0, count: stride)
        var first = [Float](repeating: 0, count: size)
        var second = [Float](repeating: 0, count: size)
        var gradient = [Float](repeating: 0, count: size)
        var biasFirst = [Float](repeating: 0, count: stride)
        var biasSecond = [Float](repeating: 0, count: stride)
        var biasGradient = [Float](repeating: 0, count: stride)
        var touched = [Bool](repeating: false, count: featureCount)
        var touchedList: [Int32] = []
        touchedList.reserveCapacity(8192)
        var probabilities = [Float](repeating: 0, count: stride)

        let batchSize = max(1, options.batchSize)
        let epochs = max(1, options.epochs)
        let batchesPerEpoch = (rows.count + batchSize - 1) / batchSize
        let totalSteps = Float(max(1, epochs * batchesPerEpoch))
        let beta1: Float = 0.9
        let beta2: Float = 0.999
        let epsilon: Float = 1e-8
        let l2 = Float(options.l2)
        let baseRate = Float(options.learningRate)
        var beta1Power: Float = 1
        var beta2Power: Float = 1
        var step: Float = 0
        var order = rows
        let squaredHinge = options.loss == .squaredHinge

        weights.withUnsafeMutableBufferPointer { w in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeMutableBufferPointer { g in
                        matrix.indices.withUnsafeBufferPointer { indices in
                            matrix.values.withUnsafeBufferPointer { values in
                                let w = w.baseAddress!
                                let m = m.baseAddress!
                                let v = v.baseAddress!
                                let g = g.baseAddress!
                                for _ in 0..<epochs {
                                    rng.shuffle(&order)
                                    var batchBegin = 0
                                    while batchBegin < order.count {
                                        let batchEnd = min(order.count, batchBegin + batchSize)
                                        let inverseBatch = 1 / Float(batchEnd - batchBegin)
                                        for position in batchBegin..<batchEnd {
                                            let row = order[position]
                                            let begin = matrix.rowStart[row]
                                            let end = matrix.rowStart[row + 1]
                                            let rowIndices = UnsafeBufferPointer(rebasing: indices[begin..<end])
                                            let rowValues = UnsafeBufferPointer(rebasing: values[begin..<end])
                                            probabilities.withUnsafeMutableBufferPointer { p in
                                                let p = p.baseAddress!
                                                for c in 0..<stride { p[c] = bias[c] }
                                                LinearAlgebra.accumulate(
                                                    into: p, weights: w, stride: stride, indices: rowIndices,
                                                    values: rowValues)
                                                let target = Int(targets[row])
                                                if squaredHinge && target >= 0 {
                                                    // Weston–Watkins squared hinge: Σ_{c≠y} max(0, 1 + s_c − s_y)².
                                                    let correct = p[target]
                                                    var total: Float = 0
                                                    for c in 0..<labelCount where c != target {
                                                        let deficit = 1 + p[c] - correct
                                                        if deficit > 0 {
                                                            p[c] = 2 * deficit
                                                            total += 2 * deficit
                                                        } else {
                                                            p[c] = 0
                                                        }
                                                    }
                                                    p[target] = -total
                                                } else if target >= 0 {
                                                    LinearAlgebra.softmax(p, count: labelCount, scale: 1)
                                                    p[target] -= 1
                                                } else {
                                                    // A negative: the target is the uniform distribution.
                                                    LinearAlgebra.softmax(p, count: labelCount, scale: 1)
                                                    let share = 1 / Float(labelCount)
                                                    for c in 0..<labelCount { p[c] -= share }
                                                }
                                                for c in labelCount..<stride { p[c] = 0 }
                                                for c in 0..<stride {
                                                    p[c] *= inverseBatch
                                                    biasGradient[c] += p[c]
                                                }
                                                for k in 0..<rowIndices.count {
                                                    let feature = Int(rowIndices[k])
                                                    if !touched[feature] {
                                                        touched[feature] = true
                                                        touchedList.append(Int32(feature))
                                                    }
                                                    LinearAlgebra.axpy(
                                                        g + feature * stride, p, scale: rowValues[k], stride: stride)
                                                }
                                            }
                                        }
                                        // Adam step on the touched rows and the bias.
                                        step += 1
                                        beta1Power *= beta1
                                        beta2Power *= beta2
                                        let rate = baseRate * max(0, 1 - (step - 1) / totalSteps)
                                        let stepSize = rate * (1 - beta2Power).squareRoot() / (1 - beta1Power)
                                        for feature in touchedList {
                                            let offset = Int(feature) * stride
                                            Self.adam(
                                                w + offset, m + offset, v + offset, g + offset, count: stride,
                                                l2: l2, stepSize: stepSize, epsilon: epsilon, beta1: beta1, beta2: beta2
                                            )
                                            touched[Int(feature)] = false
                                        }
                                        touchedList.removeAll(keepingCapacity: true)
                                        bias.withUnsafeMutableBufferPointer { b in
                                            biasFirst.withUnsafeMutableBufferPointer { bm in
                                                biasSecond.withUnsafeMutableBufferPointer { bv in
                                                    biasGradient.withUnsafeMutableBufferPointer { bg in
                                                        Self.adam(
                                                            b.baseAddress!, bm.baseAddress!, bv.baseAddress!,
                                                            bg.baseAddress!, count: stride,
                                                            l2: 0, stepSize: stepSize, epsilon: epsilon, beta1: beta1,
                                                            beta2: beta2)
                                                    }
                                                }
                                            }
                                        }
                                        batchBegin = batchEnd
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Parameters(weights: weights, bias: bias)
    }

    /// One Adam update of `count` parameters (a multiple of 8); clears the gradient.
    @inline(__always)
    private static func adam(
        _ w: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
        _ g: UnsafeMutablePointer<Float>, count: Int,
        l2: Float, stepSize: Float, epsilon: Float, beta1: Float, beta2: Float
    ) {
        let decay1 = 1 - beta1
        let decay2 = 1 - beta2
        var c = 0
        while c < count {
            let gradient = g[c] + l2 * w[c]
            let first = beta1 * m[c] + decay1 * gradient
            let second = beta2 * v[c] + decay2 * gradient * gradient
            m[c] = first
            v[c] = second
            w[c] -= stepSize * first / (second.squareRoot() + epsilon)
            g[c] = 0
            c += 1
        }
    }
}
