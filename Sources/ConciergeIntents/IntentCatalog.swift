public import ConciergeCore
public import ConciergeYAML
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
                throw ConfigurationFileError(
                    .invalidField, configuration: IntentCatalog.configuration,
                    keyPath: ConfigurationYAML.keyPath(decoder.codingPath + [CodingKeys.answer]),
                    "intent \(self.name): answer must be account, howto, account_or_howto or none, not '\(answer)'"
                )
            }
            self.answer = kind
            self.skills = try container.decode([String].self, forKey: .skills)
            self.examples = try container.decode([String].self, forKey: .examples)
        }
    }

    /// How errors name this file (``ConfigurationFileError/configuration``).
    public static let configuration = "intent catalog"

    /// The model label of out-of-scope examples; no intent may take this name.
    public static let outOfScopeLabel = "out_of_scope"

    public var version: Int
    public var intents: [Intent]
    /// Texts no intent covers and the service does not answer; trained as ``outOfScopeLabel``.
    public var outOfScopeExamples: [String]
    private var byName: [String: Intent]

    /// - Throws: ``ConfigurationFileError`` when there is no intent, a name is defined twice or is
    ///   ``outOfScopeLabel``, or a sensitive intent is routed to the AI.
    public init(version: Int, intents: [Intent], outOfScopeExamples: [String] = [], file: String = "")
        throws(ConfigurationFileError)
    {
        self.version = version
        self.intents = intents
        self.outOfScopeExamples = outOfScopeExamples
        func failure(_ code: ConfigurationFileError.Code, _ keyPath: String, _ detail: String) -> ConfigurationFileError
        {
            ConfigurationFileError(code, configuration: Self.configuration, file: file, keyPath: keyPath, detail)
        }
        guard !intents.isEmpty else { throw failure(.missingField, "intents", "the catalog has no intents") }
        var byName: [String: Intent] = [:]
        for (index, intent) in intents.enumerated() {
            guard intent.name != Self.outOfScopeLabel else {
                throw failure(
                    .duplicateName, "intents.\(index).name",
                    "'\(Self.outOfScopeLabel)' is reserved for out-of-scope examples, not an intent")
            }
            guard byName.updateValue(intent, forKey: intent.name) == nil else {
                throw failure(.duplicateName, "intents.\(index).name", "intent '\(intent.name)' is defined twice")
            }
            // Enforced here as well as in the policy: a sensitive intent is never routed to the AI.
            guard !(intent.sensitive && intent.route == .ai) else {
                throw failure(
                    .inconsistent, "intents.\(index).route", "intent '\(intent.name)' is sensitive but routed to ai")
            }
        }
        self.byName = byName
    }

    public static func load(path: String) throws(ConfigurationFileError) -> IntentCatalog {
        let (yaml, file) = try ConfigurationFiles.read(path: path, configuration: Self.configuration)
        return try self.parse(yaml, file: file)
    }

    /// The catalog in YAML text (the contents of `config/intents.yaml`); `file` names it in errors.
    public static func parse(_ yaml: String, file: String = "") throws(ConfigurationFileError) -> IntentCatalog {
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
        let decoded = try ConfigurationYAML.decode(File.self, from: yaml, configuration: Self.configuration, file: file)
        guard decoded.version == 1 else {
            throw ConfigurationFileError(
                .unsupportedVersion, configuration: Self.configuration, file: file, keyPath: "version",
                "intent catalog version \(decoded.version) is not supported (expected 1)"
            )
        }
        return try IntentCatalog(
            version: decoded.version, intents: decoded.intents, outOfScopeExamples: decoded.outOfScope?.examples ?? [],
            file: file
        )
    }

    public subscript(name: String) -> Intent? { self.byName[name] }
}
