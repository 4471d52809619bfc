import Dispatch

/// Meets two transaction bodies running on two connection threads: each blocks until the other arrived.
final class Rendezvous: Sendable {
    private let first = DispatchSemaphore(value: 0)
    private let second = DispatchSemaphore(value: 0)

    struct Timeout: Error {}

    func arriveFirst() throws {
        first.signal()
        guard second.wait(timeout: .now() + 20) == .success else { throw Timeout() }
    }

    func arriveSecond() throws {
        second.signal()
        guard first.wait(timeout: .now() + 20) == .success else { throw Timeout() }
    }
}
