import Synchronization

/// Outbox rows the broker confirmed and that still have to be marked sent.
///
/// The relay adds them; the next batch transaction of the consume loop takes them and marks them sent among its own
/// statements (no transaction of its own, no extra round trip). When no batch comes along soon (an idle queue), the
/// relay marks them itself. Rows that are never marked (the process died) are published again by a sweep once their
/// claim expires, and consumers deduplicate.
final class SentMarks: Sendable {
    private struct State {
        var ids: [Int64] = []
        /// When the oldest id still waiting was added.
        var since: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    func add(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        self.state.withLock { state in
            if state.ids.isEmpty { state.since = .now }
            state.ids += ids
        }
    }

    /// Everything waiting.
    func take() -> [Int64] {
        self.state.withLock { state in
            defer { state = State() }
            return state.ids
        }
    }

    /// Everything waiting, if the oldest has waited at least `age`.
    func take(olderThan age: Duration) -> [Int64] {
        self.state.withLock { state in
            guard let since = state.since, ContinuousClock.now - since >= age else { return [] }
            defer { state = State() }
            return state.ids
        }
    }

    /// Gives back ids a batch took but could not mark (its transaction failed).
    func putBack(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        self.state.withLock { state in
            state.since = min(state.since ?? .now, .now)
            state.ids += ids
        }
    }

    var count: Int { self.state.withLock { $0.ids.count } }

    /// The ids still waiting (the sweep leaves these rows alone: they are confirmed, only not marked yet).
    func waiting() -> Set<Int64> { self.state.withLock { Set($0.ids) } }
}
