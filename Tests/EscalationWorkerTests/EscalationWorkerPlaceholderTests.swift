import EscalationWorker
import Testing

@Suite struct EscalationWorkerPlaceholderTests {
    @Test func moduleLinks() {
        #expect(String(describing: EscalationWorker.self) == "EscalationWorker")
    }
}
