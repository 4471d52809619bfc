import Synchronization

/// Set when the awaiting task is cancelled; checked by the worker thread between attempts and while backing off.
final class PostgresCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
