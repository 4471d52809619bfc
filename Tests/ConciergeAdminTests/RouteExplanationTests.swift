import ClassifierWorker
import ConciergeAdmin
import ConciergeCore
import ConciergeIntents
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import IntentClassifier
import Logging
import Testing

/// `conciergectl route`: how a text routes and why, with the shipped catalog and routing policy and a model trained
/// from the catalog (as the worker builds them).
@Suite struct RouteExplanationTests {
    /// Built per test (training on the catalog takes well under a second); a broken shipped file fails the test.
    static func classifier() throws -> InquiryClassifier {
        let catalog = try IntentCatalog.load(
            path: TestServices.repositoryFile("config/intents.yaml"))
        let policy = try RoutingConfiguration.load(
            path: TestServices.repositoryFile("config/routing.yaml"))
        return InquiryClassifier(model: IntentModel.train(catalog.trainingData), catalog: catalog, policy: policy)
    }

    @Test func theDecisionItsReasonsAndSignalsOneLineEach() throws {
        let classifier = try Self.classifier()
        let analysis = classifier.analyze(text: "I want to talk to a real person now", language: "en")
        let explanation = RouteExplanation(
            analysis, classifier: classifier, vip: true, repeatContact: false, modelVersion: "model-test")
        let lines = explanation.lines
        #expect(lines.count == 6)
        #expect(explanation.decision.route != .ai)
        #expect(lines[0] == "route:      \(explanation.decision.route.rawValue)")
        #expect(lines[1] == "priority:   \(explanation.decision.priority.rawValue)")
        #expect(lines[2].hasPrefix("intent:     \(analysis.intent ?? "unknown") (top \(analysis.prediction.label), "))
        #expect(lines[2].hasSuffix(String(format: "confidence %.2f)", analysis.prediction.confidence)))
        #expect(lines[3] == "reasons:    " + explanation.decision.reasons.joined(separator: ", "))
        // routing.yaml's rules for this text: the customer asks for a person, and is a VIP.
        #expect(explanation.decision.reasons.contains("asked_for_human"))
        #expect(explanation.decision.reasons.contains("vip"))
        #expect(explanation.decision.route == .humanPriority)
        #expect(
            lines[4] == "signals:    language=en asked_for_human=true distress=\(analysis.distress.rawValue) "
                + "sensitive=\(explanation.signals.sensitive) vip=true repeat_contact=false")
        #expect(lines[5] == "model:      model-test")
    }
}

/// `route --customer`: the VIP tier and a recent decision about the same intent, from the real database.
@Suite(.enabled(if: TestServices.enabled))
struct CustomerRoutingFactsTests {
    @Test func vipTierAndARecentDecisionAboutTheSameIntent() async throws {
        let logger = Logger(label: "test.customer-routing-facts")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let vip = TestServices.uniqueName("cus-route-vip")
        let standard = TestServices.uniqueName("cus-route-std")
        let facts: [CustomerRoutingFacts]
        do {
            _ = try await database.query(
                "INSERT INTO customers (customer_id, display_name, tier) VALUES ($1, 'V', 'vip'), ($2, 'S', 'standard')",
                [vip, standard])
            let message = TestServices.uniqueName("msg-route")
            _ = try await database.query(
                """
                INSERT INTO inquiries (message_id, conversation_id, customer_id, channel, language, text, sent_at)
                VALUES ($1, $1, $2, 'chat', 'en', 'where is my refund', now())
                """,
                [message, standard])
            _ = try await database.query(
                """
                INSERT INTO routing_decisions (message_id, customer_id, conversation_id, route, priority, intent,
                    confidence, top_intent, sensitive, reasons, model_version)
                VALUES ($1, $2, $1, 'ai', 'normal', 'refund_status', 0.9, 'refund_status', false, '{}', 'test')
                """,
                [message, standard])
            facts = [
                try await CustomerRoutingFacts.load(
                    customer: vip, intent: nil, windowMinutes: 60, on: database),
                try await CustomerRoutingFacts.load(
                    customer: standard, intent: "refund_status", windowMinutes: 60, on: database),
                try await CustomerRoutingFacts.load(
                    customer: standard, intent: "payment_status", windowMinutes: 60, on: database),
            ]
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        #expect(facts[0] == CustomerRoutingFacts(vip: true, repeatContact: false))
        #expect(facts[1] == CustomerRoutingFacts(vip: false, repeatContact: true))
        #expect(facts[2] == CustomerRoutingFacts(vip: false, repeatContact: false))
    }
}
