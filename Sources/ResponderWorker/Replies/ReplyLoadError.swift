/// Why the reply languages cannot be loaded; the responder does not start with an incomplete language.
public struct ReplyLoadError: Error, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The directory or a file cannot be read, or a file is not YAML.
        case unreadable = "unreadable"
        /// A required field (`language`, `name`, `money`, `dates`, `templates`…) is absent or of the wrong kind.
        case missingField = "missing_field"
        /// A template key every language must have is absent.
        case missingTemplate = "missing_template"
        /// A template key no code says (a typo, or a key removed from `ReplyKey`).
        case unknownTemplate = "unknown_template"
        /// A text uses a placeholder its key does not fill.
        case unknownPlaceholder = "unknown_placeholder"
        /// A text's braces are not `{name}` placeholders.
        case malformedTemplate = "malformed_template"
        /// A money or date format that cannot work (not twelve month names, an empty decimal separator…).
        case invalidFormat = "invalid_format"
        /// Two files for one language, or a file whose `language:` is not its name.
        case duplicateLanguage = "duplicate_language"
        /// The fallback language (answering inquiries in a language without a file) has no file.
        case missingFallback = "missing_fallback"
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
        "reply languages: \(self.file.isEmpty ? "" : "\(self.file): ")\(self.detail) (\(self.code.rawValue))"
    }
}
