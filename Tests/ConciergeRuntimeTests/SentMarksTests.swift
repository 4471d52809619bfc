import Testing

@testable import ConciergeRuntime

struct SentMarksTests {
    @Test func takeHandsOverEverythingOnce() {
        let marks = SentMarks()
        marks.add([1, 2])
        marks.add([])
        marks.add([3])
        #expect(marks.take() == [1, 2, 3])
        #expect(marks.take().isEmpty)
    }

    @Test func agedTakeWaitsForTheOldestToAge() async throws {
        let marks = SentMarks()
        marks.add([7])
        #expect(marks.take(olderThan: .seconds(60)).isEmpty)
        #expect(marks.count == 1)
        try await Task.sleep(for: .milliseconds(20))
        marks.add([8])
        // The age is the oldest id's: both go.
        #expect(marks.take(olderThan: .milliseconds(10)) == [7, 8])
        #expect(marks.count == 0)
    }

    @Test func putBackIdsAreTakenAgain() {
        let marks = SentMarks()
        marks.add([1])
        let taken = marks.take()
        marks.add([2])
        marks.putBack(taken)
        #expect(Set(marks.take(olderThan: .zero)) == [1, 2])
    }
}
