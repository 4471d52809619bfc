/// A file of labelled texts that is missing or holds none.
public struct ExampleFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case notFound
        case empty
    }

    public var code: Code
    /// The file's path (an operator's argument, never customer text).
    public var path: String

    public init(_ code: Code, path: String) {
        self.code = code
        self.path = path
    }

    public var description: String {
        switch self.code {
        case .notFound: "file not found: \(self.path)"
        case .empty: "no examples in \(self.path)"
        }
    }
}
