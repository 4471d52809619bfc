public import ConciergeCore
import ConciergeYAML
import Foundation

/// The intent catalog (`config/intents.yaml`): every intent with its route, sensitivity, complexity, answer kind,
/// skills and training examples, and examples of what is out of scope.
///
/// The one reader of that file: the classifier takes the routes and examples from it, the responder the `answer:`
/// kinds, `conciergectl train` the examples.
///
/// Out-of-scope examples (the file's optional `out_of_scope: { examples: [...] }`) train one more label,
/// ``outOfScopeLabel``, that is not an intent: a text the model gives that label has no intent, so it is never routed
/// to the AI.
public struct IntentCatalog: Sendable {
    public struct Intent: Sendable, Hashable, Decodable {
        /// How the AI may answer an intent (its `answer:` field).
        public enum Answer: String, Sendable, Hashable, CaseIterable {
            /// From the customer's facts.
            case account
            /// From the knowledge base.
            case howto
            /// From the facts about the purchase the customer names, else (a general question) from the knowledge base.
            case accountOrHowto = "account_or_howto"
            /// Only by people.
            case none
        }

        public var name: String
        public var description: String
        public var route: Route
        public var sensitive: Bool
        public var complexity: String
        public var answer: Answer
        public var skills: [String]
        public var examples: [String]

        public init(
            name: String, description: String, route: Route, sensitive: Bool, complexity: String, answer: Answer,
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

        enum CodingKeys: String, CodingKey {
            case name, description, route, sensitive, complexity, answer, skills, examples
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.description = try container.decode(String.self, forKey: .description)
            self.route = try container.decode(Route.self, forKey: .route)
            self.sensitive = try container.decode(Bool.self, forKey: .sensitive)
            self.complexity = try container.decode(String.self, forKey: .complexity)
            let answer = try container.decode(String.self, forKey: .answer)
            guard let kind = Answer(rawValue: answer) else {
                throw Error(description: "intent \(self.name): answer must be account, howto, account_or_howto or none, not '\(answer)'")
            }
            self.answer = kind
            self.skills = try container.decode([String].self, forKey: .skills)
            self.examples = try container.decode([String].self, forKey: .examples)
        }
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    /// The model label of out-of-scope examples; no intent may take this name.
    public static let outOfScopeLabel = "out_of_scope"

    public var version: Int
    public var intents: [Intent]
    /// Texts no intent covers and the service does not answer; trained as ``outOfScopeLabel``.
    public var outOfScopeExamples: [String]
    private var byName: [String: Intent]

    public init(version: Int, intents: [Intent], outOfScopeExamples: [String] = []) throws {
        self.version = version
        self.intents = intents
        self.outOfScopeExamples = outOfScopeExamples
        guard !intents.isEmpty else { throw Error(description: "the catalog has no intents") }
        var byName: [String: Intent] = [:]
        for intent in intents {
            guard intent.name != Self.outOfScopeLabel else {
                throw Error(description: "'\(Self.outOfScopeLabel)' is reserved for out-of-scope examples, not an intent")
            }
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
            struct OutOfScope: Decodable {
                var examples: [String]
            }
            var version: Int
            var intents: [Intent]
            var outOfScope: OutOfScope?

            enum CodingKeys: String, CodingKey {
                case version, intents
                case outOfScope = "out_of_scope"
            }
        }
        let file = try ConfigurationYAML.decode(File.self, from: yaml)
        guard file.version == 1 else { throw Error(description: "intent catalog version \(file.version) is not supported (expected 1)") }
        return try IntentCatalog(version: file.version, intents: file.intents, outOfScopeExamples: file.outOfScope?.examples ?? [])
    }

    public subscript(name: String) -> Intent? { self.byName[name] }
}
