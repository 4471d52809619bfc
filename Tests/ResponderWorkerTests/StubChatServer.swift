import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (a real socket, a port the kernel picks) that plays a script of canned
/// chat-completions responses, one per request, and records what it received. Blocking sockets on threads of its own.
final class StubChatServer: Sendable {
    enum Reply: Sendable {
        /// A chat completion whose assistant message is this text.
        case completion(String)
        /// A bare status with a small JSON error body.
        case status(Int)
        /// Read the request, never answer (until the server stops).
        case silence
    }

    struct Request: Sendable {
        var requestLine: String
        /// Lower-cased names.
        var headers: [String: String]
        var body: String
    }

    let port: Int
    private let listener: Int32
    private let state: Mutex<State>

    private struct State {
        var script: [Reply]
        var fallback: Reply
        var requests: [Request] = []
        var open: Set<Int32> = []
        var stopped = false
    }

    /// Serves `script` in order, then `fallback` for every further request.
    init(_ script: [Reply], then fallback: Reply = .status(500)) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = fd
        self.state = Mutex(State(script: script, fallback: fallback))
        Thread.detachNewThread { [self] in self.acceptLoop() }
    }

    var baseURL: String { "http://127.0.0.1:\(self.port)/v1" }
    var requests: [Request] { self.state.withLock { $0.requests } }

    /// Stops accepting and drops every open connection (a silent one sees its connection close).
    func stop() {
        let open = self.state.withLock { state -> Set<Int32> in
            state.stopped = true
            return state.open
        }
        shutdown(self.listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(self.listener, nil, nil)
            if connection < 0 {
                if self.state.withLock({ $0.stopped }) { break }
                continue
            }
            let accepted = self.state.withLock { state -> Bool in
                if state.stopped { return false }
                state.open.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                break
            }
            Thread.detachNewThread { [self] in self.serve(connection) }
        }
        close(self.listener)
    }

    private func serve(_ fd: Int32) {
        defer {
            self.state.withLock { _ = $0.open.remove(fd) }
            close(fd)
        }
        guard let request = Self.readRequest(fd) else { return }
        let reply = self.state.withLock { state -> Reply in
            state.requests.append(request)
            return state.script.isEmpty ? state.fallback : state.script.removeFirst()
        }
        let status: Int
        let body: String
        switch reply {
        case .completion(let text):
            status = 200
            body = Self.completionJSON(text)
        case .status(let code):
            status = code
            body = #"{"error":{"message":"stub error","type":"server_error"}}"#
        case .silence:
            // Wait for the client to give up (EOF) or the server to stop.
            var byte: UInt8 = 0
            while recv(fd, &byte, 1, 0) > 0 {}
            return
        }
        let response =
            "HTTP/1.1 \(status) Stub\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        var bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            sent += n
        }
    }

    static func completionJSON(_ text: String) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-stub", "object": "chat.completion", "model": "stub",
            "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private static func readRequest(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Int?
        var contentLength = 0
        var head = ""
        while true {
            if let end = headerEnd, data.count >= end + contentLength { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return nil }
            data += buffer[0..<n]
            if headerEnd == nil, let range = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = range + 4
                head = String(decoding: data[0..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
        }
        let lines = head.split(separator: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let body = String(decoding: data[headerEnd!..<(headerEnd! + contentLength)], as: UTF8.self)
        return Request(requestLine: lines.first.map(String.init) ?? "", headers: headers, body: body)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle
        {
            return start
        }
        return nil
    }
}
