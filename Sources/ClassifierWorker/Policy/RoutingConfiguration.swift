public import ConciergeCore
public import ConciergeYAML
import Foundation

/// Loads `config/routing.yaml` into a `RoutingPolicy`.
///
/// ```yaml
/// version: 1
/// confidence_threshold: 0.5        # below: the intent is unknown -> never the AI
/// ai_languages: [en, de, sv]       # other languages go to humans
/// repeat_contact_window_minutes: 60
/// rules:                           # in order; every rule that holds adds its reason; the strongest route wins
///   - { name: vip, when: vip, route: human_priority }
/// ```
public enum RoutingConfiguration {
    /// How errors name this file (``ConfigurationFileError/configuration``).
    public static let configuration = "routing policy"

    public static func load(path: String) throws(ConfigurationFileError) -> RoutingPolicy {
        let (yaml, file) = try ConfigurationFiles.read(path: path, configuration: Self.configuration)
        return try self.parse(yaml, file: file)
    }

    /// The policy in YAML text; `file` names it in errors.
    public static func parse(_ yaml: String, file: String = "") throws(ConfigurationFileError) -> RoutingPolicy {
        struct File: Decodable {
            var version: Int
            var confidence_threshold: Double
            var ai_languages: [String]
            var repeat_contact_window_minutes: Int
            var rules: [RoutingRule]
        }
        let decoded = try ConfigurationYAML.decode(File.self, from: yaml, configuration: Self.configuration, file: file)
        guard decoded.version == 1 else {
            throw ConfigurationFileError(
                .unsupportedVersion, configuration: Self.configuration, file: file, keyPath: "version",
                "routing policy version \(decoded.version) is not supported (expected 1)"
            )
        }
        guard (0...1).contains(decoded.confidence_threshold) else {
            throw ConfigurationFileError(
                .invalidField, configuration: Self.configuration, file: file, keyPath: "confidence_threshold",
                "confidence_threshold must be within 0...1"
            )
        }
        return RoutingPolicy(
            rules: decoded.rules, confidenceThreshold: decoded.confidence_threshold,
            aiLanguages: Set(decoded.ai_languages),
            repeatContactWindowMinutes: decoded.repeat_contact_window_minutes
        )
    }
}
