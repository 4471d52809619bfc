public import ConciergeAMQP
import Foundation
public import Histogram

/// What the benchmark commands share: publishing N messages with confirms, paced or as fast as possible, and
/// printing latency percentiles.
public enum BenchSupport {
    /// Publishes `total` messages built by `make` (given a range of sequence numbers) in confirm batches, at `rate`
    /// per second (0 = as fast as possible), calling `willPublish` just before each batch goes out and `confirmed` with
    /// the number confirmed so far after each batch. Returns when the last batch is confirmed; throws if the broker did
    /// not confirm a message (nacked, or returned as unroutable).
    public static func publishPaced(
        total: Int, rate: Int, maximumBatch: Int, publisher: AMQPPublisher,
        willPublish: ([AMQPMessage]) -> Void = { _ in },
        confirmed: (Int) -> Void = { _ in },
        make: (Range<Int>) -> [AMQPMessage]
    ) async throws {
        let started = ContinuousClock.now
        let batch = rate == 0 ? maximumBatch : max(1, min(maximumBatch, rate / 100))
        var sent = 0
        while sent < total {
            let messages = make(sent..<min(total, sent + batch))
            willPublish(messages)
            let outcomes = try await publisher.publish(messages)
            guard outcomes.allSatisfy({ $0 == .confirmed }) else {
                let refused = outcomes.first { $0 != .confirmed }.map { "\($0)" } ?? ""
                throw BenchError("publish not confirmed: \(refused)")
            }
            sent += messages.count
            confirmed(sent)
            if rate > 0 {
                let due = started + .seconds(Double(sent) / Double(rate))
                if due > .now { try await Task.sleep(until: due) }
            }
        }
    }

    /// `p50 … p90 … p99 … max …` of a histogram of microseconds.
    public static func percentiles(_ histogram: Histogram<UInt64>, digits: Int = 2) -> String {
        func ms(_ percentile: Double) -> String {
            String(format: "%.\(digits)f ms", Double(histogram.valueAtPercentile(percentile)) / 1000)
        }
        return "p50 \(ms(50))  p90 \(ms(90))  p99 \(ms(99))  max \(ms(100))"
    }

    public static func latencyHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }
}

extension Duration {
    public var seconds: Double { Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18 }
    public var microseconds: Int64 {
        self.components.seconds * 1_000_000 + self.components.attoseconds / 1_000_000_000_000
    }
}
