import ArgumentParser
import ClassifierWorker
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
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-seed-facts"),
            logger: context.logger
        )
        let (customers, purchases) = try await DemoSeeding.seedFacts(database: database, asOf: asOf)
        await database.close()
        print("seed-facts: \(purchases) new purchases for \(customers) customers (as of \(asOf))")
    }
}

/// `conciergectl bench responder`: the built-in responder over the seeded population — the share of a routine
/// workload it resolves, handoffs by reason, and its per-message latency (facts already loaded) and the facts
/// lookup's per-batch latency. Needs `conciergectl seed` first; writes nothing.
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

    static let routine: [(intent: String, en: String, de: String)] = [
        ("payment_status", "did my payment go through?", "ist meine Zahlung angekommen?"),
        ("next_instalment", "when is my next instalment and how much?", "wann ist meine nächste Rate fällig?"),
        ("payment_schedule_overview", "what do I still have to pay?", "was muss ich noch alles zahlen?"),
        ("refund_status", "where is my refund?", "wo bleibt meine Erstattung?"),
        ("payment_failed", "why did my payment fail?", "warum ist meine Zahlung fehlgeschlagen?"),
        ("change_payment_method", "how do I change the card you charge?", "wie kann ich meine Zahlungsmethode ändern?"),
        ("return_item", "how do returns work?", "wie funktioniert eine Rücksendung?"),
        ("pay_early", "can I pay off my purchase early?", "kann ich vorzeitig alles bezahlen?"),
    ]

    func run() async throws {
        let context = try await CommandContext.make()
        let responder = try ResponderWorker.responder(configuration: context.configuration)
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-bench-responder"),
            logger: context.logger
        )
        let ids = (1...self.customers).map { String(format: "cus_%04d", $0) }
        let languages = try await database.query(
            "SELECT customer_id, language FROM customers WHERE customer_id = ANY($1::text[])", [ids]
        )
        .reduce(into: [String: String]()) {
            $0[try $1.decode(String.self, named: "customer_id")] = try $1.decode(String.self, named: "language")
        }
        let clock = ContinuousClock()
        var facts: [String: CustomerFacts] = [:]
        var loadTime = Duration.zero
        for chunk in stride(from: 0, to: ids.count, by: 100).map({ Array(ids[$0..<min($0 + 100, ids.count)]) }) {
            let started = clock.now
            let loaded = try await database.transaction { try FactsStore.load(customers: chunk, in: $0) }
            loadTime += clock.now - started
            facts.merge(loaded) { $1 }
        }
        await database.close()
        guard facts.values.contains(where: { !$0.purchases.isEmpty }) else {
            print("bench responder: no facts found; run `conciergectl seed` first")
            return
        }

        // The routine sweep: each customer asks one routine question (intent by customer number).
        var workload: [(RoutedInquiryV1, CustomerFacts)] = []
        for (index, id) in ids.enumerated() {
            let item = Self.routine[index % Self.routine.count]
            let language = languages[id] ?? "en"
            workload.append(
                (
                    Self.routed(
                        id: "bench-\(id)", customer: id, text: language == "de" ? item.de : item.en,
                        intent: item.intent, language: language), facts[id]!
                ))
        }
        self.report(
            "routine sweep (\(workload.count) inquiries, one per customer)", workload: workload, responder: responder)

        // The sample inquiries, classified by the shipped classifier; only the AI-routed ones reach the responder.
        if FileManager.default.fileExists(atPath: self.samples) {
            let (classifier, _) = try ClassifierWorker.classifier(
                configuration: context.configuration, logger: context.logger)
            var sampleWorkload: [(RoutedInquiryV1, CustomerFacts)] = []
            var human = 0
            for line in try String(contentsOfFile: self.samples, encoding: .utf8).split(separator: "\n") {
                let inquiry = try ContractDecoder().decode(InquiryV1.self, from: Array(line.utf8))
                let analysis = classifier.analyze(text: inquiry.text, language: inquiry.language)
                let decision = classifier.decide(
                    classifier.signals(analysis, vip: false, repeatContact: false, assignedAgent: nil))
                guard decision.route == .ai else {
                    human += 1
                    continue
                }
                var routed = Self.routed(
                    id: inquiry.messageID, customer: inquiry.customerID, text: inquiry.text, intent: analysis.intent,
                    language: analysis.language)
                routed.inquiry = inquiry
                sampleWorkload.append(
                    (routed, facts[inquiry.customerID] ?? CustomerFacts(customerID: inquiry.customerID, purchases: [])))
            }
            print("samples: \(sampleWorkload.count + human) inquiries, \(human) routed to people by the classifier")
            self.report("samples routed to the AI", workload: sampleWorkload, responder: responder)
        }

        // Latency of the built-in responder alone (facts in memory).
        var count = 0
        let started = clock.now
        for _ in 0..<self.rounds {
            for (routed, customerFacts) in workload {
                _ = responder.respond(to: routed, facts: customerFacts, history: ConversationHistory())
                count += 1
            }
        }
        let elapsed = clock.now - started
        print(
            "latency: \(Self.micros(elapsed / count)) µs per message over \(count) messages (built-in responder, facts loaded)"
        )
        print(
            "facts lookup: \(Self.micros(loadTime / max(1, ids.count / 100))) µs per batch of 100 customers (5 queries)"
        )
    }

    func report(_ title: String, workload: [(RoutedInquiryV1, CustomerFacts)], responder: Responder) {
        var answers = 0
        var clarifications = 0
        var handoffs: [String: Int] = [:]
        for (routed, customerFacts) in workload {
            switch responder.respond(to: routed, facts: customerFacts, history: ConversationHistory()) {
            case .reply(let reply): if reply.kind == "answer" { answers += 1 } else { clarifications += 1 }
            case .handoff(let handoff): handoffs[handoff.reason.rawValue, default: 0] += 1
            }
        }
        let total = max(1, workload.count)
        print("\(title):")
        print("  answered:      \(answers) (\(answers * 100 / total) %)")
        print("  clarification: \(clarifications) (\(clarifications * 100 / total) %)")
        print(
            "  handed off:    \(handoffs.values.reduce(0, +)) — \(handoffs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
        )
    }

    static func routed(id: String, customer: String, text: String, intent: String?, language: String) -> RoutedInquiryV1
    {
        RoutedInquiryV1(
            messageID: "\(id).routed",
            inquiry: InquiryV1(
                messageID: id, customerID: customer, channel: "chat", language: language, text: text,
                sentAt: "2026-11-27T10:00:00Z"),
            decision: .init(
                route: .ai, priority: .normal, intent: intent, confidence: 0.9, reasons: [], sensitive: false,
                complexity: "routine",
                skills: [], language: language, vip: false, assignedAgentID: nil
            )
        )
    }

    static func micros(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        return String(format: "%.1f", value)
    }
}
