public import ConciergeCore
import Foundation
import ConciergeYAML

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
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(path: String) throws -> RoutingPolicy {
        try self.parse(try String(contentsOfFile: path, encoding: .utf8))
    }

    public static func parse(_ yaml: String) throws -> RoutingPolicy {
        struct File: Decodable {
            var version: Int
            var confidence_threshold: Double
            var ai_languages: [String]
            var repeat_contact_window_minutes: Int
            var rules: [RoutingRule]
        }
        let file = try ConfigurationYAML.decode(File.self, from: yaml)
        guard file.version == 1 else { throw Error(description: "routing policy version \(file.version) is not supported (expected 1)") }
        guard (0...1).contains(file.confidence_threshold) else { throw Error(description: "confidence_threshold must be within 0...1") }
        return RoutingPolicy(
            rules: file.rules, confidenceThreshold: file.confidence_threshold, aiLanguages: Set(file.ai_languages),
            repeatContactWindowMinutes: file.repeat_contact_window_minutes
        )
    }
}
