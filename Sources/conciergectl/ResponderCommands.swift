import ArgumentParser
import ClassifierWorker
import ConciergeAdmin
import ConciergeCore
import ConciergeDemo
import ConciergePostgres
import ConciergeRuntime
import Foundation
import ResponderWorker

/// `conciergectl seed-facts [--as-of YYYY-MM-DD]`: account facts for the customers already in the database.
struct SeedFactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-facts",
        abstract: "Fill purchases, payment plans, instalments, payments and refunds for the demo customers."
    )

    @Option(name: .long, help: "The date the demo data is 'as of' (YYYY-MM-DD); default today (UTC).")
    var asOf: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let asOf =
            try self.asOf.map { text in
                guard let date = CalendarDate(iso: text) else { throw ValidationError("--as-of must be YYYY-MM-DD") }
                return date
            } ?? DemoSeeding.today()
        let (customers, purchases) = try await context.withDatabase("seed-facts") { database in
            try await DemoSeeding.seedFacts(database: database, asOf: asOf)
        }
        print("seed-facts: \(purchases) new purchases for \(customers) customers (as of \(asOf))")
    }
}

/// `conciergectl bench responder`: the built-in responder over the seeded population (``ResponderBenchmark``).
/// Needs `conciergectl seed` first; writes nothing.
struct BenchResponderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "responder",
        abstract: "Measure the built-in AI responder: resolution rate and per-message latency."
    )

    @Option(help: "Customers to sweep (cus_0001 …).")
    var customers = 2000

    @Option(help: "Times to repeat the workload for the latency figure.")
    var rounds = 5

    @Option(help: "Sample inquiries to classify and answer (JSON lines of inquiry.v1).")
    var samples = "config/samples/inquiries.jsonl"

    func run() async throws {
        let context = try await CommandContext.make()
        let responder = try ResponderWorker.responder(configuration: context.configuration)
        let benchmark = try await context.withDatabase("bench-responder") { database in
            try await ResponderBenchmark.load(
                responder: responder, customerIDs: ResponderBenchmark.seededCustomerIDs(self.customers), on: database)
        }
        guard benchmark.hasFacts else {
            print("bench responder: no facts found; run `conciergectl seed` first")
            return
        }
        let routine = benchmark.routineWorkload
        benchmark.resolution(of: routine).lines(title: "routine sweep (\(routine.count) inquiries, one per customer)")
            .forEach { print($0) }
        // The sample inquiries, classified by the shipped classifier; only the AI-routed ones reach the responder.
        if FileManager.default.fileExists(atPath: self.samples) {
            let (classifier, _) = try ClassifierWorker.classifier(
                configuration: context.configuration, logger: context.logger)
            let samples = try benchmark.sampleWorkload(
                jsonLines: try String(contentsOfFile: self.samples, encoding: .utf8), classifier: classifier)
            print(
                "samples: \(samples.workload.count + samples.toPeople) inquiries, \(samples.toPeople) routed to people by the classifier"
            )
            benchmark.resolution(of: samples.workload).lines(title: "samples routed to the AI").forEach { print($0) }
        }
        benchmark.latencyLines(of: routine, rounds: self.rounds).forEach { print($0) }
    }
}
