import Foundation

/// How each intent may be answered by the AI, read from the intent catalog's `answer:` field (`account`, `howto`,
/// `account_or_howto` or `none`).
public struct IntentAnswers: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// From the customer's facts.
        case account
        /// From the knowledge base.
        case howto
        /// From the facts about the purchase the customer names, else (a general question) from the knowledge base.
        case accountOrHowto = "account_or_howto"
        /// Only by people.
        case none
    }

    public var kinds: [String: Kind]

    public init(kinds: [String: Kind]) {
        self.kinds = kinds
    }

    public subscript(intent: String) -> Kind? { self.kinds[intent] }

    /// Reads `name:` and `answer:` of every intent in `config/intents.yaml`. Only these two keys are needed, so a
    /// line scanner does (the classifier loads the full catalog).
    public static func load(path: String) throws -> IntentAnswers {
        try self.parse(String(contentsOfFile: path, encoding: .utf8))
    }

    public static func parse(_ yaml: String) throws -> IntentAnswers {
        var kinds: [String: Kind] = [:]
        var current: String?
        for line in yaml.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- name:") {
                current = Self.value(trimmed.dropFirst("- name:".count))
            } else if trimmed.hasPrefix("answer:"), let name = current {
                let raw = Self.value(trimmed.dropFirst("answer:".count))
                guard let kind = Kind(rawValue: raw) else {
                    throw CatalogError(detail: "intent \(name): answer must be account, howto, account_or_howto or none, not '\(raw)'")
                }
                kinds[name] = kind
            }
        }
        guard !kinds.isEmpty else { throw CatalogError(detail: "no intent with an answer: field") }
        return IntentAnswers(kinds: kinds)
    }

    static func value(_ text: Substring) -> String {
        let value = text.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
        return value.trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
    }

    /// The catalog cannot be read.
    public struct CatalogError: Error, CustomStringConvertible {
        public var detail: String
        public var description: String { "intent catalog: \(self.detail)" }
    }
}
