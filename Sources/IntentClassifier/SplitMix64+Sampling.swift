import ConciergeSupport

// Training draws from ConciergeSupport's SplitMix64, so it is reproducible on every platform and Swift version (the
// standard library's generators and shuffles make no such promise).
extension SplitMix64 {
    /// A uniform integer in `0..<bound` (bound > 0); the tiny modulo bias is irrelevant here.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Fisher–Yates shuffle with this generator.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, below(i + 1))
        }
    }
}
