/// Why a model file could not be read or written.
///
/// `description` names the file and the problem; it never contains customer text.
public struct IntentModelError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// The file does not start with the model magic `ICLMODEL`.
        case notAModelFile
        /// The file is a model of another format version.
        case unsupportedVersion(found: UInt32, expected: UInt32)
        /// The file ends before the data its header announces.
        case truncated
        /// The checksum does not match the contents, or a field holds an impossible value.
        case corrupt
        /// The file could not be opened, read or written (`errno`-style detail in the message).
        case io
    }

    /// What went wrong.
    public var code: Code
    /// The file concerned.
    public var path: String
    /// A short explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The code, the file (and line) and a short explanation; never customer text.
    public var description: String {
        "IntentModelError(\(code)): \(path): \(message)"
    }
}
