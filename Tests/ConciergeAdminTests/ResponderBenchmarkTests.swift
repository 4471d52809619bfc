import ConciergeAdmin
import ConciergeCore
import ConciergeIntents
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import ResponderWorker
import Testing

/// `bench responder` without the database: the routine workload, the resolution figures and the latency lines; with
/// the shipped catalog, replies and knowledge base for the responder.
@Suite struct ResponderBenchmarkTests {
    static func responder() throws -> Responder {
        func path(_ name: String) -> String { TestServices.repositoryFile(name) }
        return Responder(
            catalog: try IntentCatalog.load(path: path("config/intents.yaml")),
            knowledge: try KnowledgeBase.load(directory: path("config/knowledge")),
            languages: try ReplyLanguages.load(directory: path("config/replies")))
    }

    @Test func seededCustomersAreNumberedFromOne() {
        #expect(ResponderBenchmark.seededCustomerIDs(3) == ["cus_0001", "cus_0002", "cus_0003"])
        #expect(ResponderBenchmark.seededCustomerIDs(0).isEmpty)
    }

    @Test func eachCustomerAsksTheNextRoutineQuestionInTheirLanguage() throws {
        let ids = ResponderBenchmark.seededCustomerIDs(10)
        let purchaseless = CustomerFacts(customerID: "cus_0003", purchases: [])
        let benchmark = ResponderBenchmark(
            responder: try Self.responder(), customerIDs: ids, languages: ["cus_0002": "de", "cus_0001": "en"],
            facts: ["cus_0003": purchaseless])
        let workload = benchmark.routineWorkload
        #expect(workload.count == 10)
        #expect(
            workload.map { $0.routed.decision.intent } == (0..<10).map { ResponderBenchmark.routine[$0 % 8].intent })
        #expect(workload[0].routed.inquiry.text == "did my payment go through?")
        #expect(workload[1].routed.inquiry.text == "wann ist meine nächste Rate fällig?")
        #expect(workload[1].routed.decision.language == "de")
        // Not in the database: English.
        #expect(workload[8].routed.inquiry.language == "en")
        #expect(workload[8].routed.inquiry.messageID == "bench-cus_0009")
        #expect(workload[8].routed.messageID == "bench-cus_0009.routed")
        #expect(workload[2].facts == purchaseless)
        #expect(workload[4].facts == CustomerFacts(customerID: "cus_0005", purchases: []))
        #expect(!benchmark.hasFacts)
        #expect(benchmark.resolution(of: workload).total == 10)
    }

    @Test func resolutionInWholePercentWithHandoffsByReason() {
        let resolution = Resolution(answers: 3, clarifications: 1, handoffs: ["b_reason": 2, "a_reason": 1])
        #expect(
            resolution.lines(title: "routine sweep") == [
                "routine sweep:",
                "  answered:      3 (42 %)",
                "  clarification: 1 (14 %)",
                "  handed off:    3 — a_reason 1, b_reason 2",
            ])
        #expect(Resolution().lines(title: "none").last == "  handed off:    0 — ")
        #expect(Resolution().lines(title: "none")[1] == "  answered:      0 (0 %)")
    }

    @Test func latencyPerMessageAndFactsLookupPerBatch() throws {
        let benchmark = ResponderBenchmark(
            responder: try Self.responder(), customerIDs: ResponderBenchmark.seededCustomerIDs(250), languages: [:],
            facts: [:], factsLoadTime: .milliseconds(3))
        let lines = benchmark.latencyLines(of: Array(benchmark.routineWorkload.prefix(4)), rounds: 2)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("latency: "))
        #expect(lines[0].hasSuffix(" µs per message over 8 messages (built-in responder, facts loaded)"))
        #expect(lines[1] == "facts lookup: 1500.0 µs per batch of 100 customers (5 queries)")
    }
}

/// `bench responder`'s load from the real database: languages by customer, facts in batches.
@Suite(.enabled(if: TestServices.enabled))
struct ResponderBenchmarkLoadTests {
    @Test func languagesAndFactsOfTheSweptCustomers() async throws {
        let logger = Logger(label: "test.responder-benchmark")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let german = TestServices.uniqueName("cus-bench-de")
        let english = TestServices.uniqueName("cus-bench-en")
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name, language) VALUES ($1, 'De', 'de'), ($2, 'En', 'en')",
            [german, english])
        let missing = TestServices.uniqueName("cus-bench-missing")
        let benchmark: ResponderBenchmark
        do {
            benchmark = try await ResponderBenchmark.load(
                responder: try ResponderBenchmarkTests.responder(), customerIDs: [german, english, missing],
                on: database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        #expect(benchmark.languages == [german: "de", english: "en"])
        #expect(!benchmark.hasFacts)
        #expect(benchmark.factsLoadTime > .zero)
        let workload = benchmark.routineWorkload
        #expect(workload.map(\.routed.inquiry.language) == ["de", "en", "en"])
        #expect(workload[1].routed.inquiry.text == "when is my next instalment and how much?")
    }
}
