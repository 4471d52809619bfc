import Histogram
import Testing

@testable import ConciergeAdmin

/// How `bench gateway` matches the frames on the sockets to what it published.
@Suite struct DeliveryRecorderTests {
    @Test func framesAreMatchedByTheirIdAndTheRestAreLost() async throws {
        let recorder = DeliveryRecorder()
        let published = ContinuousClock.now
        recorder.expect(["o1", "m1", "never"], at: published)
        recorder.received(#"{"type":"offer","body":{"offer_id":"o1"}}"#, at: published + .milliseconds(3))
        recorder.received(#"{"type":"customer_message","body":{"inquiry_id":"m1"}}"#, at: published + .milliseconds(5))
        recorder.received(#"{"type":"offer","body":{"offer_id":"unknown"}}"#, at: published + .milliseconds(1))
        recorder.received("not json", at: published)
        let (histogram, lost) = try await recorder.collect(["o1", "m1", "never"], timeout: .milliseconds(20))
        #expect(lost == 1)
        #expect(histogram.totalCount == 2)
        #expect((4_900...5_100).contains(histogram.max))
        // Collected and lost ids are forgotten: a late frame of a lost one is not counted in a later round.
        recorder.received(#"{"type":"offer","body":{"offer_id":"never"}}"#, at: .now)
        #expect(try await recorder.collect(["never"], timeout: .zero).lost == 1)
    }

    @Test func helloFramesCountOpenedSockets() async throws {
        let recorder = DeliveryRecorder()
        recorder.received(#"{"type":"hello"}"#, at: .now)
        try await recorder.wait(forHellos: 1, timeout: .milliseconds(10))
        await #expect(throws: (any Error).self) { try await recorder.wait(forHellos: 2, timeout: .milliseconds(10)) }
    }
}
