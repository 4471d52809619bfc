/// Parses `amqp://user:password@host:port/vhost?heartbeat=10` URLs (RabbitMQ's URI specification).
enum AMQPURLParser {
    static func parse(_ url: String) throws -> AMQPConfiguration {
        func invalid(_ detail: String) -> AMQPError {
            AMQPError(.invalidURL, operation: "parse url", detail: detail)
        }
        let useTLS: Bool
        var rest: Substring
        if url.lowercased().hasPrefix("amqp://") {
            useTLS = false
            rest = url.dropFirst("amqp://".count)
        } else if url.lowercased().hasPrefix("amqps://") {
            useTLS = true
            rest = url.dropFirst("amqps://".count)
        } else {
            throw invalid("scheme must be amqp or amqps")
        }

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring? = nil
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // rest is now the authority: [user[:password]@]host[:port]
        var username = "guest"
        var password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try percentDecode(userInfo[..<colon]) ?? { throw invalid("bad percent-encoding in user") }()
                password =
                    try percentDecode(userInfo[userInfo.index(after: colon)...])
                    ?? { throw invalid("bad percent-encoding in password") }()
            } else {
                username = try percentDecode(userInfo) ?? { throw invalid("bad percent-encoding in user") }()
            }
        }

        var host: Substring
        var portText: Substring? = nil
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("garbage after IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        if host.isEmpty { host = "localhost" }
        guard !host.contains(where: { $0 == " " || $0 == "@" || $0 == "/" }) else { throw invalid("bad host") }

        var port = useTLS ? 5671 : 5672
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw invalid("bad port") }
            port = value
        }

        var virtualHost = "/"
        if let path, !path.isEmpty {
            guard !path.contains("/") else { throw invalid("virtual host must be percent-encoded (use %2f for '/')") }
            guard let decoded = percentDecode(path) else { throw invalid("bad percent-encoding in virtual host") }
            virtualHost = decoded
        }

        var configuration = AMQPConfiguration(
            host: String(host), port: port, username: username, password: password, virtualHost: virtualHost,
            useTLS: useTLS)
        for item in query.split(separator: "&") where !item.isEmpty {
            // Empty pieces kept: `?=` has an empty key (rejected below), `?heartbeat=` an empty value.
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0]
            let value = parts.count > 1 ? parts[1] : ""
            switch key {
            case "heartbeat":
                guard let seconds = Int(value), seconds > 0 else { throw invalid("heartbeat must be a positive integer") }
                configuration.heartbeat = .seconds(seconds)
            case "connection_timeout":
                guard let millis = Int(value), millis > 0 else { throw invalid("bad connection_timeout") }
                configuration.connectTimeout = .milliseconds(millis)
            case "cacertfile", "certfile", "keyfile":
                guard useTLS else { throw invalid("\(key) needs amqps://") }
                guard let path = percentDecode(value), !path.isEmpty else { throw invalid("bad \(key)") }
                switch key {
                case "cacertfile": configuration.caCertificatePath = path
                case "certfile": configuration.clientCertificatePath = path
                default: configuration.clientKeyPath = path
                }
            case "verify":
                guard useTLS else { throw invalid("verify needs amqps://") }
                switch value {
                case "verify_peer": configuration.verifyPeer = true
                case "verify_none": configuration.verifyPeer = false
                default: throw invalid("verify must be verify_peer or verify_none")
                }
            default:
                // Rejected, not ignored: a TLS or timing option that silently did nothing would be worse.
                throw invalid(key.isEmpty ? "query parameter without a name" : "unsupported query parameter \(key.prefix(40))")
            }
        }
        guard (configuration.clientCertificatePath == nil) == (configuration.clientKeyPath == nil) else {
            throw invalid("certfile and keyfile go together")
        }
        return configuration
    }

    /// Decodes `%XX` escapes; `nil` when an escape is malformed or the result is not UTF-8.
    static func percentDecode<S: StringProtocol>(_ text: S) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
