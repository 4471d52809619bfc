import Synchronization

/// Hand-off of freshly committed outbox rows from the consume loop to the relay, which takes everything queued so
/// far in one go (so it publishes in large batches).
///
/// Bounded: while the relay cannot publish (the broker blocked the connection in a memory or disk alarm, or is
/// gone), rows beyond `capacity` are not held in memory. They are committed already, so nothing is lost: the relay's
/// sweep takes them from the outbox once the writer's claim on them expires (`OutboxStore.claimSeconds`). For the same
/// reason a row that waited here longer than `maximumWait` (just under the claim) is dropped when taken: the sweep
/// may claim it any moment now, and publishing it from both would send it twice.
final class RelayQueue: Sendable {
    let capacity: Int
    let maximumWait: Duration

    init(capacity: Int = 10_000, maximumWait: Duration = .seconds(OutboxStore.claimSeconds - 1)) {
        self.capacity = max(1, capacity)
        self.maximumWait = maximumWait
    }

    enum Batch: Sendable {
        case rows([OutboxRow])
        case timedOut
        case finished
    }

    private struct State {
        var rows: [(row: OutboxRow, since: ContinuousClock.Instant)] = []
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextWaiterID: UInt64 = 0
        var expiredWaiterID: UInt64?
    }

    private let state = Mutex(State())

    /// Queues what fits under `capacity`; returns how many rows did not fit (left to the sweep).
    @discardableResult
    func enqueue(_ rows: [OutboxRow]) -> Int {
        guard !rows.isEmpty else { return 0 }
        let (waiter, leftOut) = self.state.withLock { state in
            let room = max(0, self.capacity - state.rows.count)
            let now = ContinuousClock.now
            state.rows += rows.prefix(room).map { ($0, now) }
            return (state.rows.isEmpty ? nil : state.waiter.take(), rows.count - min(room, rows.count))
        }
        waiter?.continuation.resume()
        return leftOut
    }

    func finish() {
        self.state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }?.continuation.resume()
    }

    var pendingCount: Int { self.state.withLock { $0.rows.count } }

    /// Up to `max` queued rows; `.timedOut` when none arrive within `timeout`; `.finished` once finished and drained.
    func take(max: Int, timeout: Duration) async -> Batch {
        if let batch = self.takeNow(max: max) { return batch }
        let id = self.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(waiter: id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = self.state.withLock { state -> Bool in
                if !state.rows.isEmpty || state.finished || state.expiredWaiterID == id { return true }
                state.waiter = (id, continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
        return self.takeNow(max: max) ?? .timedOut
    }

    private func expire(waiter id: UInt64) {
        self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.expiredWaiterID = id
            guard state.waiter?.id == id else { return nil }
            return state.waiter.take()?.continuation
        }?.resume()
    }

    private func takeNow(max: Int) -> Batch? {
        self.state.withLock { state -> Batch? in
            let oldest = ContinuousClock.now - self.maximumWait
            state.rows.removeAll { $0.since < oldest }  // the sweep's now
            if !state.rows.isEmpty {
                let count = Swift.min(max, state.rows.count)
                let rows = state.rows.prefix(count).map(\.row)
                state.rows.removeFirst(count)
                return .rows(rows)
            }
            return state.finished ? .finished : nil
        }
    }
}
