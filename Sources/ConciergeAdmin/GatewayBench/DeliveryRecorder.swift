import ConciergeBench
import Foundation
import Histogram
import Synchronization

/// Matches frames arriving on the sockets to the ids published, by publish time.
final class DeliveryRecorder: Sendable {
    init() {}

    private struct State {
        var hellos = 0
        var pending: [String: ContinuousClock.Instant] = [:]
        var arrived: [String: Duration] = [:]
    }
    private let state = Mutex(State())

    func expect(_ ids: [String], at instant: ContinuousClock.Instant) {
        self.state.withLock { state in
            for id in ids { state.pending[id] = instant }
        }
    }

    func received(_ text: String, at instant: ContinuousClock.Instant) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let type = object["type"] as? String
        else { return }
        let body = object["body"] as? [String: Any]
        let id: String? =
            switch type {
            case "offer": body?["offer_id"] as? String
            case "customer_message": body?["inquiry_id"] as? String
            default: nil
            }
        self.state.withLock { state in
            if type == "hello" { state.hellos += 1 }
            guard let id, let published = state.pending.removeValue(forKey: id) else { return }
            state.arrived[id] = instant - published
        }
    }

    func wait(forHellos count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while self.state.withLock({ $0.hellos }) < count {
            guard ContinuousClock.now < deadline else {
                throw BenchError("only \(self.state.withLock { $0.hellos }) of \(count) sockets opened")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until every id has arrived (or `timeout`); returns their latencies (µs) and how many never came.
    func collect(_ ids: [String], timeout: Duration) async throws -> (histogram: Histogram<UInt64>, lost: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline,
            self.state.withLock({ state in ids.contains { state.arrived[$0] == nil } })
        {
            try await Task.sleep(for: .milliseconds(5))
        }
        var histogram = BenchSupport.latencyHistogram()
        let lost = self.state.withLock { state in
            var lost = 0
            for id in ids {
                if let latency = state.arrived.removeValue(forKey: id) {
                    histogram.record(UInt64(max(0, latency.microseconds)))
                } else {
                    lost += 1
                    state.pending.removeValue(forKey: id)
                }
            }
            return lost
        }
        return (histogram, lost)
    }
}
