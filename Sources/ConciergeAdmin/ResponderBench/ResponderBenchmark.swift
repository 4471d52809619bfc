public import ClassifierWorker
public import ConciergeCore
public import ConciergePostgres
import Foundation
public import ResponderWorker

/// `conciergectl bench responder`: the built-in responder over the seeded population — the share of a routine
/// workload it resolves, handoffs by reason, its per-message latency (facts already loaded) and the facts lookup's
/// per-batch latency. Reads the database, writes nothing.
public struct ResponderBenchmark: Sendable {
    /// The routine questions, one per customer in turn (by customer number), in English and German.
    public static let routine: [(intent: String, en: String, de: String)] = [
        ("payment_status", "did my payment go through?", "ist meine Zahlung angekommen?"),
        ("next_instalment", "when is my next instalment and how much?", "wann ist meine nächste Rate fällig?"),
        ("payment_schedule_overview", "what do I still have to pay?", "was muss ich noch alles zahlen?"),
        ("refund_status", "where is my refund?", "wo bleibt meine Erstattung?"),
        ("payment_failed", "why did my payment fail?", "warum ist meine Zahlung fehlgeschlagen?"),
        ("change_payment_method", "how do I change the card you charge?", "wie kann ich meine Zahlungsmethode ändern?"),
        ("return_item", "how do returns work?", "wie funktioniert eine Rücksendung?"),
        ("pay_early", "can I pay off my purchase early?", "kann ich vorzeitig alles bezahlen?"),
    ]

    /// Customers looked up per facts query batch.
    static let batchSize = 100

    public typealias Workload = [(routed: RoutedInquiryV1, facts: CustomerFacts)]

    public var responder: Responder
    /// The swept customers' ids, in order.
    public var customerIDs: [String]
    /// Each customer's language (`en` when the customer is not in the database).
    public var languages: [String: String]
    public var facts: [String: CustomerFacts]
    /// How long the facts lookups took, all batches together.
    public var factsLoadTime: Duration

    public init(
        responder: Responder, customerIDs: [String], languages: [String: String], facts: [String: CustomerFacts],
        factsLoadTime: Duration = .zero
    ) {
        self.responder = responder
        self.customerIDs = customerIDs
        self.languages = languages
        self.facts = facts
        self.factsLoadTime = factsLoadTime
    }

    /// The seeded ids `cus_0001` … up to `count`.
    public static func seededCustomerIDs(_ count: Int) -> [String] {
        count >= 1 ? (1...count).map { String(format: "cus_%04d", $0) } : []
    }

    /// Loads the customers' languages and facts (in batches of 100, timed).
    public static func load(
        responder: Responder, customerIDs: [String], on database: PostgresConnection
    ) async throws -> ResponderBenchmark {
        let languages = try await database.query(
            "SELECT customer_id, language FROM customers WHERE customer_id = ANY($1::text[])", [customerIDs]
        )
        .reduce(into: [String: String]()) {
            $0[try $1.decode(String.self, named: "customer_id")] = try $1.decode(String.self, named: "language")
        }
        let clock = ContinuousClock()
        var facts: [String: CustomerFacts] = [:]
        var loadTime = Duration.zero
        for start in stride(from: 0, to: customerIDs.count, by: Self.batchSize) {
            let chunk = Array(customerIDs[start..<min(start + Self.batchSize, customerIDs.count)])
            let started = clock.now
            let loaded = try await database.transaction { try FactsStore.load(customers: chunk, in: $0) }
            loadTime += clock.now - started
            facts.merge(loaded) { $1 }
        }
        return ResponderBenchmark(
            responder: responder, customerIDs: customerIDs, languages: languages, facts: facts,
            factsLoadTime: loadTime)
    }

    /// Whether any customer has a purchase (none: the population was not seeded).
    public var hasFacts: Bool { self.facts.values.contains { !$0.purchases.isEmpty } }

    func facts(of customerID: String) -> CustomerFacts {
        self.facts[customerID] ?? CustomerFacts(customerID: customerID, purchases: [])
    }

    /// The routine sweep: each customer asks one routine question (the intent by customer number) in their language.
    public var routineWorkload: Workload {
        self.customerIDs.enumerated().map { index, id in
            let item = Self.routine[index % Self.routine.count]
            let language = self.languages[id] ?? "en"
            return (
                Self.routed(
                    id: "bench-\(id)", customer: id, text: language == "de" ? item.de : item.en, intent: item.intent,
                    language: language),
                self.facts(of: id)
            )
        }
    }

    /// The sample inquiries (JSON lines of inquiry.v1) classified by `classifier`: those routed to the AI, and how
    /// many went to people.
    public func sampleWorkload(
        jsonLines: String, classifier: InquiryClassifier
    ) throws -> (workload: Workload, toPeople: Int) {
        var workload: Workload = []
        var toPeople = 0
        for line in jsonLines.split(separator: "\n") {
            let inquiry = try ContractDecoder().decode(InquiryV1.self, from: Array(line.utf8))
            let analysis = classifier.analyze(text: inquiry.text, language: inquiry.language)
            let decision = classifier.decide(
                classifier.signals(analysis, vip: false, repeatContact: false, assignedAgent: nil))
            guard decision.route == .ai else {
                toPeople += 1
                continue
            }
            var routed = Self.routed(
                id: inquiry.messageID, customer: inquiry.customerID, text: inquiry.text, intent: analysis.intent,
                language: analysis.language)
            routed.inquiry = inquiry
            workload.append((routed, self.facts(of: inquiry.customerID)))
        }
        return (workload, toPeople)
    }

    /// What the responder did with a workload.
    public func resolution(of workload: Workload) -> Resolution {
        var resolution = Resolution()
        for (routed, facts) in workload {
            switch self.responder.respond(to: routed, facts: facts, history: ConversationHistory()) {
            case .reply(let reply): resolution.count(reply: reply.kind)
            case .handoff(let handoff): resolution.handoffs[handoff.reason.rawValue, default: 0] += 1
            }
        }
        return resolution
    }

    /// The responder's latency alone (facts in memory) over `rounds` of `workload`, and the facts lookup's per batch.
    public func latencyLines(of workload: Workload, rounds: Int) -> [String] {
        let clock = ContinuousClock()
        var count = 0
        let started = clock.now
        for _ in 0..<rounds {
            for (routed, facts) in workload {
                _ = self.responder.respond(to: routed, facts: facts, history: ConversationHistory())
                count += 1
            }
        }
        let elapsed = clock.now - started
        let batches = max(1, self.customerIDs.count / Self.batchSize)
        return [
            "latency: \(Figures.microseconds(elapsed / max(1, count))) µs per message over \(count) messages (built-in responder, facts loaded)",
            "facts lookup: \(Figures.microseconds(self.factsLoadTime / batches)) µs per batch of 100 customers (5 queries)",
        ]
    }

    /// An inquiry as the classifier would route it to the AI.
    public static func routed(
        id: String, customer: String, text: String, intent: String?, language: String
    ) -> RoutedInquiryV1 {
        RoutedInquiryV1(
            messageID: "\(id).routed",
            inquiry: InquiryV1(
                messageID: id, customerID: customer, channel: "chat", language: language, text: text,
                sentAt: "2026-11-27T10:00:00Z"),
            decision: .init(
                route: .ai, priority: .normal, intent: intent, confidence: 0.9, reasons: [], sensitive: false,
                complexity: "routine", skills: [], language: language, vip: false, assignedAgentID: nil
            )
        )
    }
}
