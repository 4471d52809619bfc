/// Why the LLM backend gave no text. `description` is safe to log (no key, no customer text).
public struct LLMError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// No complete response within the timeout.
        case timeout
        /// Could not connect, or the connection broke.
        case connection
        /// An HTTP status other than 200.
        case httpStatus = "http_status"
        /// A 200 whose body is not a chat completion with text.
        case malformedResponse = "malformed_response"
        /// The URL in the configuration is not usable.
        case badURL = "bad_url"
        /// The calling task was cancelled (shutdown).
        case cancelled
    }

    public var code: Code
    public var status: Int?
    public var attempts: Int

    public init(_ code: Code, status: Int? = nil, attempts: Int) {
        self.code = code
        self.status = status
        self.attempts = attempts
    }

    /// 429, 5xx, timeouts and connection errors may succeed on another attempt.
    public var isRetryable: Bool {
        switch self.code {
        case .timeout, .connection: true
        case .httpStatus: self.status == 429 || (self.status ?? 0) >= 500
        case .malformedResponse, .badURL, .cancelled: false
        }
    }

    public var description: String {
        "LLM call failed (\(self.code.rawValue)\(self.status.map { " \($0)" } ?? "")) after \(self.attempts) attempt\(self.attempts == 1 ? "" : "s")"
    }
}
