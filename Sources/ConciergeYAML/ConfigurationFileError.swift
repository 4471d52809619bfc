/// Why a configuration file (or a directory of them) cannot be loaded: every loader of `config/` throws this one
/// shape, and the process does not start with a file it cannot use.
///
/// `description` names the configuration, the file, the line and what is wrong, and ends with the code:
/// `reply languages: en.yaml: line 12: 'money.pattern' must be text (missing_field)`. It quotes the file's own words
/// (keys, language codes, intent names), never a secret: no configuration file holds one.
public struct ConfigurationFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, as a closed set a caller (or a test) can match on.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file or directory cannot be read, or a file is empty or not YAML.
        case unreadable = "unreadable"
        /// The file's `version:` is not one this build reads.
        case unsupportedVersion = "unsupported_version"
        /// A required field is absent, or of the wrong kind where the file is read field by field.
        case missingField = "missing_field"
        /// A field is present but its value cannot be used (wrong kind, out of range, not one of the allowed words).
        case invalidField = "invalid_field"
        /// A phrase longer than the detectors look at, or empty once normalised.
        case invalidPhrase = "invalid_phrase"
        /// A money or date format that cannot work.
        case invalidFormat = "invalid_format"
        /// A template key every language must have is absent.
        case missingTemplate = "missing_template"
        /// A template key no code says.
        case unknownTemplate = "unknown_template"
        /// A text uses a placeholder its key does not fill.
        case unknownPlaceholder = "unknown_placeholder"
        /// A text's braces are not `{name}` placeholders.
        case malformedTemplate = "malformed_template"
        /// A name defined twice (an intent), or a name reserved for something else.
        case duplicateName = "duplicate_name"
        /// Two files for one language, or a file whose `language:` is not its name.
        case duplicateLanguage = "duplicate_language"
        /// The fallback language has no file.
        case missingFallback = "missing_fallback"
        /// A language the AI answers has no file, or its file lacks a safety-net list.
        case missingSafetyNet = "missing_safety_net"
        /// Settings that contradict each other or a safety rule (a sensitive intent routed to the AI).
        case inconsistent = "inconsistent"
    }

    public var code: Code
    /// What the file configures, as messages name it: `intent catalog`, `routing policy`, `reply languages`.
    public var configuration: String
    /// The file (name only); empty when the problem concerns a whole directory or a value built in code.
    public var file: String
    /// The key inside the file, dotted (`money.pattern`, `intents.3.answer`); empty when the problem is not one key's.
    public var keyPath: String
    /// The line in the file, when the loader knows it.
    public var line: Int?
    /// What is wrong, for people.
    public var detail: String

    public init(
        _ code: Code, configuration: String, file: String = "", keyPath: String = "", line: Int? = nil, _ detail: String
    ) {
        self.code = code
        self.configuration = configuration
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.detail = detail
    }

    public var description: String {
        var text = "\(self.configuration): "
        if !self.file.isEmpty { text += "\(self.file): " }
        if let line = self.line { text += "line \(line): " }
        return text + "\(self.detail) (\(self.code.rawValue))"
    }
}
