import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP/1.1 server for `/healthz`, `/readyz` and `/metrics`, on its own thread (blocking accept and
/// short reads never touch Swift's cooperative pool). GET only; one request per connection; responses are small.
public final class HealthServer: Service {
    let host: String
    let port: Int
    let health: WorkerHealth
    let metrics: @Sendable () -> [UInt8]
    let logger: Logger
    private let boundPort = Mutex<Int?>(nil)

    /// - Parameters:
    ///   - port: the TCP port; 0 picks a free one (see `waitForPort`).
    ///   - metrics: renders the Prometheus text exposition.
    public init(
        host: String, port: Int, health: WorkerHealth, metrics: @escaping @Sendable () -> [UInt8], logger: Logger
    ) {
        self.host = host
        self.port = port
        self.health = health
        self.metrics = metrics
        self.logger = logger
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var operation: String
        public var errno: Int32
        public var description: String { "health server \(operation) failed: \(String(cString: strerror(self.errno)))" }
    }

    public func run() async throws {
        let listener = try self.listen()
        let port = self.localPort(listener)
        self.boundPort.withLock { $0 = port }
        self.logger.info("health server listening", metadata: ["http.port": "\(port)"])
        let thread = Thread { [self] in self.acceptLoop(listener) }
        thread.name = "health-http"
        thread.start()
        // Serve until shutdown; then close the socket, which ends the accept loop.
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
            }
        } onGracefulShutdown: {
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// The bound port once listening.
    public var listeningPort: Int? { self.boundPort.withLock { $0 } }

    private func listen() throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Error(operation: "socket", errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(self.port).bigEndian)
        address.sin_addr.s_addr = inet_addr(self.host == "0.0.0.0" || self.host.isEmpty ? "0.0.0.0" : self.host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw Error(operation: "bind to port \(self.port)", errno: code)
        }
        guard Glibc.listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw Error(operation: "listen", errno: code)
        }
        return fd
    }

    private func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // listener closed
            }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            self.serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        // Read until the blank line that ends the headers (a client may send its request in several writes), up to
        // 8 KiB; the socket's receive timeout bounds a slow client.
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192 {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            request += buffer[0..<count]
            if request.count >= 4, request.suffix(from: max(0, request.count - count - 3)).containsHeaderEnd { break }
        }
        guard !request.isEmpty else { return }
        let requestLine = String(decoding: request, as: UTF8.self).split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = requestLine.split(separator: " ")
        let (status, contentType, body) = self.respond(
            method: parts.first.map(String.init) ?? "", path: parts.count > 1 ? String(parts[1]) : "")
        var response = Array(
            "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                .utf8)
        response += body
        var written = 0
        while written < response.count {
            let n = response[written...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            written += n
        }
    }

    /// The status line, content type and body for a request (exposed for tests).
    public func respond(method: String, path: String) -> (String, String, [UInt8]) {
        guard method == "GET" else { return ("405 Method Not Allowed", "text/plain", Array("GET only\n".utf8)) }
        switch path.split(separator: "?").first.map(String.init) ?? path {
        case "/healthz":
            return self.health.isAlive
                ? ("200 OK", "text/plain", Array("ok\n".utf8))
                : ("503 Service Unavailable", "text/plain", Array("consume loop stalled\n".utf8))
        case "/readyz":
            return self.health.isReady
                ? ("200 OK", "text/plain", Array("ready\n".utf8))
                : ("503 Service Unavailable", "text/plain", Array("not consuming\n".utf8))
        case "/metrics":
            return ("200 OK", "text/plain; version=0.0.4", self.metrics())
        default:
            return ("404 Not Found", "text/plain", Array("not found\n".utf8))
        }
    }
}

extension ArraySlice<UInt8> {
    /// Contains CR LF CR LF.
    var containsHeaderEnd: Bool {
        var index = self.startIndex
        while index + 3 < self.endIndex {
            if self[index] == 13, self[index + 1] == 10, self[index + 2] == 13, self[index + 3] == 10 { return true }
            index += 1
        }
        return false
    }
}
