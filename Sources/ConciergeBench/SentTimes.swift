import Synchronization

/// Publish instants by message id and how many the broker confirmed, shared between the publishing task and the
/// receiving loop.
public final class SentTimes: Sendable {
    private let times = Mutex<[String: ContinuousClock.Instant]>([:])
    private let finished = Mutex(false)
    private let confirmations = Mutex(0)

    public init() {}

    /// `count` messages confirmed so far.
    public func confirmed(_ count: Int) { self.confirmations.withLock { $0 = count } }
    public var confirmedCount: Int { self.confirmations.withLock { $0 } }

    /// Publishing is over: from now on the receiver waits at most its timeout.
    public func finish() { self.finished.withLock { $0 = true } }
    public var isFinished: Bool { self.finished.withLock { $0 } }

    public func record(_ ids: [String?], at instant: ContinuousClock.Instant) {
        self.times.withLock { times in for case let id? in ids { times[id] = instant } }
    }

    public func time(of id: String) -> ContinuousClock.Instant? { self.times.withLock { $0[id] } }
}
