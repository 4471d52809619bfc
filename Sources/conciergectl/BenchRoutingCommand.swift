import ArgumentParser
import ClassifierWorker
import ConciergeBench
import ConciergeCore
import Foundation
import IntentClassifier

/// Times the classifier's per-inquiry work without I/O: the intent model plus every text signal and the routing
/// policy, over the texts of a JSON-lines file of inquiries (default: the demo samples), on one thread.
struct BenchRoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Time the classifier's per-inquiry analysis and routing (no I/O)."
    )

    @Option(help: "JSON lines of inquiry.v1 whose texts are classified.")
    var samples = "config/samples/inquiries.jsonl"

    @Option(help: "Classifications to time.")
    var count = 100_000

    func run() async throws {
        let context = try await CommandContext.make()
        let (classifier, version) = try ClassifierWorker.classifier(
            configuration: context.configuration, logger: context.logger)
        let texts = try String(contentsOfFile: self.samples, encoding: .utf8).split(separator: "\n").compactMap {
            line in
            try? JSONDecoder().decode(InquiryV1.self, from: Data(line.utf8)).text
        }
        guard !texts.isEmpty else { throw ValidationError("no inquiry texts in \(self.samples)") }
        func time(_ body: (String) -> Void) -> Duration {
            let clock = ContinuousClock()
            return clock.measure { for index in 0..<self.count { body(texts[index % texts.count]) } }
        }
        var sink = 0
        let model = time { sink &+= classifier.model.predict($0).label.utf8.count }
        let full = time { text in
            let analysis = classifier.analyze(text: text, language: nil)
            let decision = classifier.decide(
                classifier.signals(analysis, vip: false, repeatContact: false, assignedAgent: nil))
            sink &+= decision.reasons.count
        }
        func perCall(_ duration: Duration) -> String {
            String(format: "%.1f µs", duration.seconds * 1e6 / Double(self.count))
        }
        print("model \(version), \(texts.count) distinct texts, \(self.count) classifications (checksum \(sink))")
        print("intent model only:          \(perCall(model)) per inquiry")
        print("model + signals + policy:   \(perCall(full)) per inquiry")
    }
}
