import Testing

@testable import ConciergeRuntime

/// The relay's in-memory hand-off is bounded: what does not fit is left to the sweep (it is in the outbox already).
struct RelayQueueTests {
    static func rows(_ ids: Range<Int64>) -> [OutboxRow] {
        ids.map {
            OutboxRow(
                id: $0,
                message: OutgoingMessage(
                    messageID: "m\($0)", exchange: "x", routingKey: "k", schema: "s", body: [], mandatory: false))
        }
    }

    @Test func rowsBeyondTheCapacityAreLeftToTheSweep() async {
        let queue = RelayQueue(capacity: 3)
        #expect(queue.enqueue(Self.rows(0..<2)) == 0)
        #expect(queue.enqueue(Self.rows(2..<5)) == 2)
        #expect(queue.pendingCount == 3)
        guard case .rows(let taken) = await queue.take(max: 10, timeout: .milliseconds(10)) else {
            Issue.record("nothing taken")
            return
        }
        #expect(taken.map(\.id) == [0, 1, 2])
        // Room again once the relay took them.
        #expect(queue.enqueue(Self.rows(5..<8)) == 0)
        #expect(queue.pendingCount == 3)
    }
}
