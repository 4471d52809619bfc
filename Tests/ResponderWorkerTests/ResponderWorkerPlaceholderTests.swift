import ResponderWorker
import Testing

@Suite struct ResponderWorkerPlaceholderTests {
    @Test func moduleLinks() {
        #expect(String(describing: ResponderWorker.self) == "ResponderWorker")
    }
}
