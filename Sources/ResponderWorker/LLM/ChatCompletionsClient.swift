import ConciergeSupport
import Foundation
public import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A client for an OpenAI-compatible `POST {url}/chat/completions`: one request per attempt with a timeout, retries
/// with jittered exponential backoff on 429, 5xx, timeouts and connection errors.
///
/// URLSession does the I/O on its own threads (libcurl on Linux) and resumes the caller when done, so no cooperative
/// thread is blocked while waiting. The API key goes only into the `Authorization` header; nothing logged here
/// contains it or the messages.
public struct ChatCompletionsClient: Sendable {
    public struct Message: Sendable, Hashable, Codable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    public let configuration: LLMConfiguration
    let session: URLSession
    let logger: Logger

    public init(configuration: LLMConfiguration, logger: Logger) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = Double(configuration.timeout.components.seconds) + 1
        self.session = URLSession(configuration: sessionConfiguration)
        self.logger = logger
    }

    /// The assistant's text for `messages`, after at most `maxAttempts` attempts.
    public func complete(_ messages: [Message]) async throws(LLMError) -> String {
        guard
            let url = URL(
                string: self.configuration.url.hasSuffix("/")
                    ? "\(self.configuration.url)chat/completions" : "\(self.configuration.url)/chat/completions"),
            url.scheme == "http" || url.scheme == "https"
        else { throw LLMError(.badURL, attempts: 0) }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if !self.configuration.apiKey.isEmpty {
            request.setValue("Bearer \(self.configuration.apiKey)", forHTTPHeaderField: "Authorization")
        }
        request.timeoutInterval = Double(self.configuration.timeout.components.seconds) + 1
        // Plain structs of strings: encoding cannot fail.
        request.httpBody = try! JSONEncoder().encode(
            ChatRequest(model: self.configuration.model, messages: messages, temperature: 0, max_tokens: 400)
        )

        var attempt = 1
        while true {
            do {
                return try await self.attempt(request, number: attempt)
            } catch {
                guard error.isRetryable, attempt < self.configuration.maxAttempts else { throw error }
                self.logger.warning(
                    "LLM attempt failed; retrying",
                    metadata: [
                        "llm.attempt": "\(attempt)", "llm.error": "\(error.code.rawValue)",
                        "llm.status": "\(error.status ?? 0)",
                    ]
                )
                do {
                    try await Task.sleep(for: self.backoff(afterAttempt: attempt))
                } catch {
                    throw LLMError(.cancelled, attempts: attempt)
                }
                attempt += 1
            }
        }
    }

    /// Between half and all of `backoff × 2^(attempt-1)`, at most 5 s.
    func backoff(afterAttempt attempt: Int) -> Duration {
        Backoff(initial: self.configuration.backoff, maximum: .seconds(5), jitter: .equal).delay(
            forAttempt: attempt - 1)
    }

    private func attempt(_ request: URLRequest, number: Int) async throws(LLMError) -> String {
        let session = self.session
        let timeout = self.configuration.timeout
        let result: (Data, URLResponse)?
        do {
            result = try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
                group.addTask { try await session.data(for: request) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as URLError {
            switch error.code {
            case .timedOut: throw LLMError(.timeout, attempts: number)
            case .cancelled where Task.isCancelled: throw LLMError(.cancelled, attempts: number)
            case .badURL, .unsupportedURL: throw LLMError(.badURL, attempts: number)
            default: throw LLMError(.connection, attempts: number)
            }
        } catch {
            throw LLMError(Task.isCancelled ? .cancelled : .connection, attempts: number)
        }
        guard let (data, response) = result else { throw LLMError(.timeout, attempts: number) }
        guard let http = response as? HTTPURLResponse else { throw LLMError(.malformedResponse, attempts: number) }
        guard http.statusCode == 200 else { throw LLMError(.httpStatus, status: http.statusCode, attempts: number) }
        guard let completion = try? JSONDecoder().decode(ChatResponse.self, from: data),
            let text = completion.choices.first?.message.content?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else { throw LLMError(.malformedResponse, status: 200, attempts: number) }
        return text
    }
}

private struct ChatRequest: Encodable {
    var model: String
    var messages: [ChatCompletionsClient.Message]
    var temperature: Double
    var max_tokens: Int
}

private struct ChatResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            var content: String?
        }
        var message: Message
    }
    var choices: [Choice]
}
