import ConciergeBench
import Testing

/// Whether the fleet may be benchmarked: every worker queue consumed by this fleet's workers only, every worker ready.
@Suite struct BenchFleetStateTests {
    static func state(consumers: [UInt32?], readiness: [Int?] = [200], expected: Int? = 1) -> BenchFleetState {
        BenchFleetState(
            queues: consumers.enumerated().map {
                .init(name: "q\($0.offset)", messages: $0.element == nil ? nil : 0, consumers: $0.element)
            },
            readiness: readiness.enumerated().map { (port: 9201 + $0.offset, status: $0.element) },
            expectedConsumers: expected
        )
    }

    @Test func oneConsumerPerQueueAndEveryWorkerReadyIsReady() {
        let state = Self.state(consumers: [1, 1], readiness: [200, 200])
        #expect(state.isReady)
        #expect(state.problems.isEmpty)
    }

    /// A worker left running by a demo or a test run consumes the same queue: it takes a share of the run's inquiries.
    @Test func aForeignConsumerIsNotReady() {
        let state = Self.state(consumers: [1, 2])
        #expect(!state.isReady)
        #expect(state.problems == ["q1 has 2 consumers, 1 expected: another process takes its messages"])
        #expect(state.summary.hasSuffix(" — q1 has 2 consumers, 1 expected: another process takes its messages"))
        #expect(Self.state(consumers: [1, 2], expected: nil).isReady)
    }

    @Test func aMissingOrUnconsumedQueueOrAWorkerNotAnsweringIsNotReady() {
        #expect(Self.state(consumers: [nil, 1]).problems == ["q0 is missing"])
        #expect(Self.state(consumers: [0, 1]).problems == ["q0 has no consumer"])
        #expect(
            Self.state(consumers: [1], readiness: [200, nil, 503]).problems == [
                ":9202 does not answer", ":9203 is not ready (503)",
            ])
    }
}
