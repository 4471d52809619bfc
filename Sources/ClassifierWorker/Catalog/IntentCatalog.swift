public import ConciergeCore
import Foundation
public import IntentClassifier
import ConciergeYAML

/// The intent catalog (`config/intents.yaml`): every intent with its route, sensitivity, complexity, answer kind,
/// skills and training examples.
public struct IntentCatalog: Sendable {
    public struct Intent: Sendable, Hashable, Decodable {
        public var name: String
        public var description: String
        public var route: Route
        public var sensitive: Bool
        public var complexity: String
        public var answer: String
        public var skills: [String]
        public var examples: [String]

        public init(
            name: String, description: String, route: Route, sensitive: Bool, complexity: String, answer: String,
            skills: [String], examples: [String]
        ) {
            self.name = name
            self.description = description
            self.route = route
            self.sensitive = sensitive
            self.complexity = complexity
            self.answer = answer
            self.skills = skills
            self.examples = examples
        }
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public var version: Int
    public var intents: [Intent]
    private var byName: [String: Intent]

    public init(version: Int, intents: [Intent]) throws {
        self.version = version
        self.intents = intents
        var byName: [String: Intent] = [:]
        for intent in intents {
            guard byName.updateValue(intent, forKey: intent.name) == nil else {
                throw Error(description: "intent '\(intent.name)' is defined twice")
            }
            // Enforced here as well as in the policy: a sensitive intent is never routed to the AI.
            guard !(intent.sensitive && intent.route == .ai) else {
                throw Error(description: "intent '\(intent.name)' is sensitive but routed to ai")
            }
        }
        self.byName = byName
    }

    public static func load(path: String) throws -> IntentCatalog {
        try self.parse(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The catalog in YAML text (the contents of `config/intents.yaml`).
    public static func parse(_ yaml: String) throws -> IntentCatalog {
        struct File: Decodable {
            var version: Int
            var intents: [Intent]
        }
        let file = try ConfigurationYAML.decode(File.self, from: yaml)
        guard file.version == 1 else { throw Error(description: "intent catalog version \(file.version) is not supported (expected 1)") }
        return try IntentCatalog(version: file.version, intents: file.intents)
    }

    public subscript(name: String) -> Intent? { self.byName[name] }

    /// The examples as training data for the intent model.
    public var trainingData: [LabeledText] {
        self.intents.flatMap { intent in intent.examples.map { LabeledText(text: $0, label: intent.name) } }
    }
}
