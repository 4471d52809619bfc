import ArgumentParser
import ClassifierWorker
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation
import IntentClassifier

/// Prints the routing decision for a text and its reasons, for operators tuning the policy. With `--customer`, the
/// customer's tier and recent decisions come from PostgreSQL, as the worker would see them.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show how the classifier would route a text, and why."
    )

    @Argument(help: "The customer's message.")
    var text: String

    @Option(help: "Customer id: look up VIP tier and repeat contacts in PostgreSQL.")
    var customer: String?

    @Option(help: "Language of the message (detected when absent).")
    var language: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let (classifier, version) = try ClassifierWorker.classifier(
            configuration: context.configuration, logger: context.logger)
        let analysis = classifier.analyze(text: self.text, language: self.language)
        var vip = false
        var repeatContact = false
        if let customer {
            let database = try await PostgresConnection.connect(
                configuration: try context.configuration.postgres(applicationName: "conciergectl-route"),
                logger: context.logger
            )
            vip = try await !database.query(
                "SELECT 1 FROM customers WHERE customer_id = $1 AND tier = 'vip'", [customer]
            ).isEmpty
            if let intent = analysis.intent {
                repeatContact = try await !database.query(
                    """
                    SELECT 1 FROM routing_decisions WHERE customer_id = $1 AND intent = $2
                    AND decided_at > now() - make_interval(mins => $3)
                    """,
                    [customer, intent, classifier.policy.repeatContactWindowMinutes]
                ).isEmpty
            }
            await database.close()
        }
        let signals = classifier.signals(analysis, vip: vip, repeatContact: repeatContact, assignedAgent: nil)
        let decision = classifier.decide(signals)
        print("route:      \(decision.route.rawValue)")
        print("priority:   \(decision.priority.rawValue)")
        print(
            "intent:     \(analysis.intent ?? "unknown") (top \(analysis.prediction.label), confidence \(String(format: "%.2f", analysis.prediction.confidence)))"
        )
        print("reasons:    \(decision.reasons.joined(separator: ", "))")
        print(
            "signals:    language=\(analysis.language) asked_for_human=\(analysis.askedForHuman) distress=\(analysis.distress.rawValue) sensitive=\(signals.sensitive) vip=\(vip) repeat_contact=\(repeatContact)"
        )
        print("model:      \(version)")
    }
}
