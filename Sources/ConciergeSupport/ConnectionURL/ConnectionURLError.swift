/// Why a connection URL could not be parsed. Its description names the problem and the part of the URL, never the
/// URL's text (which may hold a password).
public struct ConnectionURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// No `scheme://`, or a scheme the caller does not take.
        case unsupportedScheme
        /// A `%` not followed by two hex digits, or escapes that do not decode to UTF-8.
        case badPercentEncoding
        /// `[` without `]`.
        case unterminatedIPv6Host
        /// Something other than `:port` after `]`.
        case textAfterIPv6Host
        /// Not a whole number in 1...65535.
        case badPort
    }

    /// The part of the URL a percent-encoding error is in.
    public enum Part: String, Sendable, Hashable {
        case user, password, host, path, query
    }

    public var code: Code
    public var part: Part?

    public init(_ code: Code, part: Part? = nil) {
        self.code = code
        self.part = part
    }

    public var description: String {
        switch self.code {
        case .unsupportedScheme: "unsupported scheme"
        case .badPercentEncoding: "bad percent-encoding in \(self.part?.rawValue ?? "URL")"
        case .unterminatedIPv6Host: "unterminated IPv6 host"
        case .textAfterIPv6Host: "unexpected text after IPv6 host"
        case .badPort: "bad port"
        }
    }
}
