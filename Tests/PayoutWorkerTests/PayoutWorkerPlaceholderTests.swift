import PayoutWorker
import Testing

@Suite struct PayoutWorkerPlaceholderTests {
    @Test func moduleLinks() {
        #expect(String(describing: PayoutWorker.self) == "PayoutWorker")
    }
}
