import Synchronization

/// A thread-safe counter for attempts made by transaction bodies.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Increments and returns the new value.
    @discardableResult
    func increment() -> Int { value.add(1, ordering: .relaxed).newValue }

    var current: Int { value.load(ordering: .relaxed) }
}

/// Thrown by test bodies to check that it propagates unchanged.
struct ExpectedTestError: Error {}
