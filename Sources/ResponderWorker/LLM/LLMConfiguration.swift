public import ConciergeRuntime

/// Where and how to call the optional LLM backend (an OpenAI-compatible chat-completions endpoint).
///
/// Keys (off unless `responder.llm.url` is set):
/// - `responder.llm.url` (empty = off): base URL, e.g. `http://127.0.0.1:8000/v1`; the call is `POST {url}/chat/completions`
/// - `responder.llm.model` (empty): the `model` field of the request
/// - `responder.llm.api_key` (secret, empty = no `Authorization` header): sent as `Authorization: Bearer <key>`;
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

    public init(url: String, model: String, apiKey: String = "", timeout: Duration = .seconds(3), maxAttempts: Int = 3, backoff: Duration = .milliseconds(200)) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    /// The backend's configuration, or nil when `responder.llm.url` is empty (the built-in responder only).
    public static func load(from configuration: FleetConfiguration) -> LLMConfiguration? {
        let reader = configuration.reader
        let url = reader.string(forKey: "responder.llm.url", default: "")
        guard !url.isEmpty else { return nil }
        return LLMConfiguration(
            url: url, model: reader.string(forKey: "responder.llm.model", default: ""),
            apiKey: reader.string(forKey: "responder.llm.api_key", isSecret: true, default: ""),
            timeout: .milliseconds(reader.int(forKey: "responder.llm.timeout_ms", default: 3000)),
            maxAttempts: reader.int(forKey: "responder.llm.max_attempts", default: 3),
            backoff: .milliseconds(reader.int(forKey: "responder.llm.backoff_ms", default: 200))
        )
    }

    /// Safe to log: the key is only said to be set or not.
    public var description: String {
        "LLM \(self.url) model \(self.model.isEmpty ? "-" : self.model), key \(self.apiKey.isEmpty ? "unset" : "set"), timeout \(self.timeout), \(self.maxAttempts) attempts"
    }
}
