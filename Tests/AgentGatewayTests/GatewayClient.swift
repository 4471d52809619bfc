import ConciergeTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// A browser-less client of one gateway replica: form posts and page loads with the session cookie.
struct GatewayClient: Sendable {
    let port: Int
    var cookie: String?

    struct Page: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    func get(_ path: String) async throws -> Page {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "concierge_session=\(cookie)" }
        return try await TestClient.withClient(host: "127.0.0.1", port: self.port) { [headers] client in
            let response = try await client.get(path, headers: headers)
            return Page(
                status: response.status, headers: response.headers, body: response.body.map { String(buffer: $0) } ?? ""
            )
        }
    }

    func post(_ path: String, form: [String: String]) async throws -> Page {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "concierge_session=\(cookie)" }
        let body = form.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await TestClient.withClient(host: "127.0.0.1", port: self.port) { [headers] client in
            let response = try await client.post(path, headers: headers, body: ByteBuffer(string: body))
            return Page(
                status: response.status, headers: response.headers, body: response.body.map { String(buffer: $0) } ?? ""
            )
        }
    }

    /// Signs in; returns a client carrying the session cookie.
    func signIn(_ agentID: String, _ password: String) async throws -> GatewayClient {
        let page = try await self.post("/signin", form: ["agent_id": agentID, "password": password])
        guard page.status == .seeOther, let setCookie = page.headers[.setCookie] else {
            throw TestFailure("sign-in of \(agentID) failed: \(page.status)")
        }
        guard let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last else {
            throw TestFailure("no cookie value in \(setCookie)")
        }
        var signedIn = self
        signedIn.cookie = String(value)
        return signedIn
    }

    /// Opens a WebSocket tab.
    /// Opens a WebSocket tab, as a page of this gateway would (its `Origin`), or from another `origin`.
    func tab(logger: Logger, origin: String? = nil) async throws -> Tab {
        try await Tab.open(
            port: self.port, cookie: self.cookie, origin: origin ?? "http://127.0.0.1:\(self.port)", logger: logger)
    }
}

/// One WebSocket "tab": frames received are queued as parsed JSON objects; `send` writes text.
final class Tab: Sendable {
    final class State: Sendable {
        let raw = Mutex<[String]>([])
        let closed = Mutex<Bool>(false)
    }

    private let state: State
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<Void, any Error>

    private init(state: State, outgoing: AsyncStream<String>.Continuation, task: Task<Void, any Error>) {
        self.state = state
        self.outgoing = outgoing
        self.task = task
    }

    static func open(port: Int, cookie: String?, origin: String, logger: Logger) async throws -> Tab {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        if let cookie { configuration.additionalHeaders[.cookie] = "concierge_session=\(cookie)" }
        configuration.additionalHeaders[.origin] = origin
        let state = State()
        let task = Task {
            defer { state.closed.withLock { $0 = true } }
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/ws", configuration: configuration, logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in stream { try await outbound.write(.text(text)) }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            state.raw.withLock { $0.append(text) }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
        let tab = Tab(state: state, outgoing: continuation, task: task)
        // Wait for the upgrade (or the failure of the connection).
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if tab.isClosed { break }
            if tab.frames.contains(where: { $0["type"] as? String == "hello" }) { return tab }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let error = await Self.failure(of: task) { throw error }
        throw TestFailure("the WebSocket did not open")
    }

    private static func failure(of task: Task<Void, any Error>) async -> (any Error)? {
        task.cancel()
        do {
            try await task.value
            return nil
        } catch { return error }
    }

    var frames: [[String: Any]] {
        self.raw.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
    }
    var raw: [String] { self.state.raw.withLock { $0 } }
    var isClosed: Bool { self.state.closed.withLock { $0 } }

    func send(_ text: String) { self.outgoing.yield(text) }

    func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return }
        self.send(String(decoding: data, as: UTF8.self))
    }

    /// Waits for the first frame (after `after` frames) matching `predicate`.
    @discardableResult
    func next(
        _ what: String, timeout: Duration = .seconds(20), where predicate: @escaping ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let frame = self.frames.first(where: predicate) { return frame }
            if self.isClosed { throw TestFailure("the tab closed while waiting for \(what); got \(self.raw)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("timed out waiting for \(what); got \(self.raw)")
    }

    func frame(
        ofType type: String, timeout: Duration = .seconds(20),
        where predicate: @escaping ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        try await self.next(type, timeout: timeout) { $0["type"] as? String == type && predicate($0) }
    }

    func answer(to clientID: String, timeout: Duration = .seconds(20)) async throws -> [String: Any] {
        try await self.next("answer to \(clientID)", timeout: timeout) { $0["client_id"] as? String == clientID }
    }

    func close() async {
        self.outgoing.finish()
        self.task.cancel()
        _ = try? await self.task.value
    }
}
