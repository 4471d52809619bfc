public import ConciergeRuntime
import Configuration
import Foundation

/// Where and how to call the optional LLM backend (an OpenAI-compatible chat-completions endpoint).
///
/// Keys (off unless `responder.llm.url` is set):
/// - `responder.llm.url` (empty = off): base URL, e.g. `https://llm.example.internal/v1` (`http://` only to loopback
///   with `fleet.development`); logged as scheme, host and port only; the call is `POST {url}/chat/completions`
/// - `responder.llm.model` (empty): the `model` field of the request
/// - `responder.llm.api_key` (secret; required outside `fleet.development`; empty = no `Authorization` header): sent as `Authorization: Bearer <key>`;
///   never logged
/// - `responder.llm.timeout_ms` (3000): per attempt, from sending the request to the whole response
/// - `responder.llm.max_attempts` (3): attempts per answer; 429, 5xx, timeouts and connection errors are retried with
///   jittered exponential backoff starting at `responder.llm.backoff_ms` (200)
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    public var url: String
    public var model: String
    public var apiKey: String
    public var timeout: Duration
    public var maxAttempts: Int
    /// The first retry waits between half and all of this; each further retry doubles it (at most 5 s).
    public var backoff: Duration

    public init(
        url: String, model: String, apiKey: String = "", timeout: Duration = .seconds(3), maxAttempts: Int = 3,
        backoff: Duration = .milliseconds(200)
    ) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    /// The backend's configuration, or nil when `responder.llm.url` is empty (the built-in responder only).
    ///
    /// - Throws: ``ConfigurationError`` when the URL is not `https://` (only `fleet.development` allows `http://`, and
    ///   then only to a loopback host: the bearer key and the customer's facts would travel in clear), or when no API
    ///   key is set outside development mode.
    public static func load(from configuration: FleetConfiguration) throws(ConfigurationError) -> LLMConfiguration? {
        let reader = configuration.reader
        let url = reader.string(forKey: "responder.llm.url", default: "")
        guard !url.isEmpty else { return nil }
        try Self.checkTransport(url: url, development: configuration.isDevelopment)
        let apiKey = reader.string(forKey: "responder.llm.api_key", isSecret: true, default: "")
        if apiKey.isEmpty, !configuration.isDevelopment {
            throw ConfigurationError(
                .missingSecret, key: "responder.llm.api_key",
                reason:
                    "not set (environment RESPONDER_LLM_API_KEY) while responder.llm.url is; an unauthenticated backend is allowed only with fleet.development=true"
            )
        }
        return LLMConfiguration(
            url: url, model: reader.string(forKey: "responder.llm.model", default: ""),
            apiKey: apiKey,
            timeout: .milliseconds(reader.int(forKey: "responder.llm.timeout_ms", default: 3000)),
            maxAttempts: reader.int(forKey: "responder.llm.max_attempts", default: 3),
            backoff: .milliseconds(reader.int(forKey: "responder.llm.backoff_ms", default: 200))
        )
    }

    /// Accepts `https://`, and `http://` to loopback in development mode only.
    public static func checkTransport(url: String, development: Bool) throws(ConfigurationError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(.invalidSetting, key: "responder.llm.url", reason: "not an absolute http(s) URL")
        }
        switch scheme {
        case "https":
            return
        case "http":
            let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
            guard development, loopback else {
                throw ConfigurationError(
                    .insecureSetting, key: "responder.llm.url",
                    reason: "must be https:// (http:// is allowed only to a loopback host with fleet.development=true)")
            }
        default:
            throw ConfigurationError(.invalidSetting, key: "responder.llm.url", reason: "scheme must be https")
        }
    }

    /// The endpoint's scheme, host and port only: a path or query may carry a tenant, a deployment or a key.
    public var origin: String {
        guard let components = URLComponents(string: self.url), let scheme = components.scheme,
            let host = components.host
        else { return "<unparsable url>" }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Safe to log: the URL without path or query, the key only said to be set or not.
    public var description: String {
        "LLM \(self.origin) model \(self.model.isEmpty ? "-" : self.model), key \(self.apiKey.isEmpty ? "unset" : "set"), timeout \(self.timeout), \(self.maxAttempts) attempts"
    }
}
