import Synchronization

/// Deliveries received by the loop thread but not yet handed to ``AMQPConsumer/receive(max:timeout:)``, plus the
/// callers waiting for them. Shared by the consumer (callers) and its loop thread; `Sendable` is earned by the
/// `Mutex`. Continuations are always resumed outside the lock.
final class AMQPConsumerBuffer: Sendable {
    struct Waiter {
        let id: UInt64
        let max: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<[AMQPDelivery], any Error>
    }

    private struct State {
        var deliveries: [AMQPDelivery] = []
        var waiters: [Waiter] = []
        var closed = false
        var consuming = false
        var nextWaiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    var isConsuming: Bool { state.withLock { $0.consuming && !$0.closed } }

    func setConsuming(_ consuming: Bool) { state.withLock { $0.consuming = consuming } }

    func makeWaiterID() -> UInt64 {
        state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
    }

    enum Take {
        case ready(Result<[AMQPDelivery], any Error>)
        case waiting
    }

    /// Takes up to `max` buffered deliveries, or registers a waiter when there are none.
    func take(max: Int, waiter: Waiter) -> Take {
        state.withLock { state in
            if state.closed { return .ready(.failure(AMQPError(.closed, operation: "receive"))) }
            if !state.deliveries.isEmpty {
                let count = min(max, state.deliveries.count)
                defer { state.deliveries.removeFirst(count) }
                return .ready(.success(Array(state.deliveries.prefix(count))))
            }
            if waiter.deadline <= .now { return .ready(.success([])) }
            if Task.isCancelled { return .ready(.failure(CancellationError())) }
            state.waiters.append(waiter)
            return .waiting
        }
    }

    /// Removes a waiter (cancellation); returns it if it was still waiting.
    func removeWaiter(id: UInt64) -> Waiter? {
        state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
    }

    /// Loop side: buffers new deliveries and serves waiting callers in order.
    func append(_ deliveries: [AMQPDelivery]) {
        var ready: [(CheckedContinuation<[AMQPDelivery], any Error>, [AMQPDelivery])] = []
        state.withLock { state in
            state.deliveries.append(contentsOf: deliveries)
            while !state.waiters.isEmpty, !state.deliveries.isEmpty {
                let waiter = state.waiters.removeFirst()
                let count = min(waiter.max, state.deliveries.count)
                ready.append((waiter.continuation, Array(state.deliveries.prefix(count))))
                state.deliveries.removeFirst(count)
            }
        }
        for (continuation, deliveries) in ready { continuation.resume(returning: deliveries) }
    }

    /// Loop side: forgets buffered deliveries of a lost connection (the broker redelivers them).
    func dropBuffered() { state.withLock { $0.deliveries.removeAll() } }

    var earliestDeadline: ContinuousClock.Instant? { state.withLock { $0.waiters.lazy.map(\.deadline).min() } }

    /// Loop side: answers waiters whose time is up with no deliveries.
    func expireWaiters(now: ContinuousClock.Instant) {
        let expired = state.withLock { state -> [Waiter] in
            let expired = state.waiters.filter { $0.deadline <= now }
            if !expired.isEmpty { state.waiters.removeAll { $0.deadline <= now } }
            return expired
        }
        for waiter in expired { waiter.continuation.resume(returning: []) }
    }

    /// Refuses further receives and fails the waiting ones with ``AMQPError/Code/closed``.
    func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            state.consuming = false
            state.deliveries.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: AMQPError(.closed, operation: "receive")) }
    }
}
