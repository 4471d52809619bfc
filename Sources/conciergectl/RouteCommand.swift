import ArgumentParser
import ClassifierWorker
import ConciergeAdmin
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
        var facts = CustomerRoutingFacts()
        if let customer {
            facts = try await context.withDatabase("route") { database in
                try await CustomerRoutingFacts.load(
                    customer: customer, intent: analysis.intent,
                    windowMinutes: classifier.policy.repeatContactWindowMinutes, on: database)
            }
        }
        let explanation = RouteExplanation(
            analysis, classifier: classifier, vip: facts.vip, repeatContact: facts.repeatContact, modelVersion: version)
        explanation.lines.forEach { print($0) }
    }
}
