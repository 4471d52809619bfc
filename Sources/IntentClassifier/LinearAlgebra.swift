import Foundation

/// The few dense kernels the model needs; rows are `stride` floats long, `stride` a multiple of 8.
enum LinearAlgebra {
    /// `out[c] += Σ values[i] * weights[indices[i] * stride + c]` for `c` in `0..<stride`.
    ///
    /// Plain loops over pointers: the optimiser vectorises them, and unlike `SIMD8` they stay fast enough in
    /// debug builds for the tests to train on real data.
    @inline(__always)
    static func accumulate(
        into out: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>, stride: Int,
        indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>
    ) {
        for i in 0..<indices.count {
            axpy(out, weights + Int(indices[i]) * stride, scale: values[i], stride: stride)
        }
    }

    /// `row[c] += scale * g[c]` for `c` in `0..<stride`.
    @inline(__always)
    static func axpy(_ row: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, scale: Float, stride: Int) {
        var c = 0
        while c < stride {
            row[c] += scale * g[c]
            c += 1
        }
    }

    /// In place: `x[0..<count] = softmax(scale * x)`; entries from `count` on are left alone.
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
        var maximum = -Float.infinity
        for c in 0..<count { maximum = max(maximum, x[c]) }
        var sum: Float = 0
        for c in 0..<count {
            let e = expf((x[c] - maximum) * scale)
            x[c] = e
            sum += e
        }
        let inverse = 1 / sum
        for c in 0..<count { x[c] *= inverse }
    }
}
