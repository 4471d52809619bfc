/// Why a CSV file of labelled texts could not be read.
///
/// `description` gives the file and line; it never quotes the file's text.
public struct LabeledTextCSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// The file could not be read.
        case io
        /// The file is empty or not UTF-8.
        case unreadable
        /// The header has no `text` column, or neither a `label` nor a `category` column.
        case missingColumn(String)
        /// A quoted field is never closed.
        case unterminatedQuote
        /// A record has fewer fields than the columns it needs.
        case missingField
        /// A quote appears in the middle of an unquoted field, or text follows a closing quote.
        case strayQuote
    }

    /// What went wrong.
    public var code: Code
    /// The file concerned (`<string>` when parsing a string).
    public var path: String
    /// The 1-based line where the problem starts, when known.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, path: String, line: Int? = nil) {
        self.code = code
        self.path = path
        self.line = line
    }

    /// The code, the file (and line) and a short explanation; never customer text.
    public var description: String {
        "LabeledTextCSVError(\(code)): \(path)" + (line.map { ":\($0)" } ?? "")
    }
}
