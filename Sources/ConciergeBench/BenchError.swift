/// Why a benchmark could not run or measure: the broker did not confirm a publish, a worker did not start consuming.
/// conciergectl reports it as a usage error, as it did when the benchmarks were part of it.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
