/// A setting that makes the process refuse to start: a missing secret, or a setting that would expose data.
///
/// `description` names the key and the reason, never the value (which may be a secret).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Sendable { case missingSecret, insecureSetting, invalidSetting }
        let base: Base
        /// A secret (a URL with credentials, an API key) is not set and there is no safe default.
        public static let missingSecret = Code(base: .missingSecret)
        /// A setting would send data in clear or unverified (`http://` to a remote host, `verify_none`).
        public static let insecureSetting = Code(base: .insecureSetting)
        /// A setting's value cannot be used.
        public static let invalidSetting = Code(base: .invalidSetting)
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The configuration key, e.g. `postgres.url`.
    public var key: String
    /// Why, without the value.
    public var reason: String

    public init(_ code: Code, key: String, reason: String) {
        self.code = code
        self.key = key
        self.reason = reason
    }

    public var description: String { "configuration \(code) for \(key): \(reason)" }
}
