/// Why the classifier's language files (`config/languages/<code>.yaml`) cannot be loaded; the classifier does not
/// start with a language it cannot detect or protect.
public struct LanguageLoadError: Error, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The directory or a file cannot be read, or a file is not YAML.
        case unreadable = "unreadable"
        /// A field is absent or of the wrong kind (`language`, `function_words`, a list that is not a list of texts…).
        case invalidField = "invalid_field"
        /// A phrase longer than the detectors look at (`PhraseSet.maximumWords` words), or empty once normalised.
        case invalidPhrase = "invalid_phrase"
        /// Two files for one language, or a file whose `language:` is not its name.
        case duplicateLanguage = "duplicate_language"
        /// A language the AI answers (`ai_languages`) has no file, or its file lacks a safety-net list.
        case missingSafetyNet = "missing_safety_net"
    }

    public var code: Code
    /// The file (name only) the problem is in; empty when it concerns the whole directory.
    public var file: String
    public var detail: String

    public init(_ code: Code, file: String, _ detail: String) {
        self.code = code
        self.file = file
        self.detail = detail
    }

    public var description: String {
        "classifier languages: \(self.file.isEmpty ? "" : "\(self.file): ")\(self.detail) (\(self.code.rawValue))"
    }
}
