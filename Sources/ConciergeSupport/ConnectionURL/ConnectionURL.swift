/// The parts of a connection URL, `scheme://[user[:password]@]host[:port][/path][?name=value&...]`, as RabbitMQ's
/// `amqp(s)://` and PostgreSQL's `postgres(ql)://` URIs write them; each client maps the parts to its own settings.
///
/// - The scheme is matched without regard to case and must be one of the caller's (which also give its default port).
/// - User and password are percent-decoded; the last `@` ends them (so an unencoded `@` in a password still works)
///   and the first `:` separates them. Without `@` both are `nil`; without `:` the password is `nil`.
/// - The host is percent-decoded, or written in brackets for an IPv6 address (`[::1]`, not decoded); it may be empty
///   (the caller picks its default). The port, after the last `:`, is 1...65535, else the scheme's default.
/// - The path is everything after the first `/` before `?`, kept encoded in ``encodedPath`` and decoded in ``path``.
/// - The query's `&`-separated items are split at their first `=`; names and values are percent-decoded, empty
///   items skipped, order and repeats kept.
///
/// Errors never repeat the URL, which may hold a password.
public struct ConnectionURL: Sendable, Hashable {
    /// A query item, decoded. `name=` and a bare `name` both have an empty value.
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The scheme, lowercased.
    public var scheme: String
    public var user: String?
    public var password: String?
    /// Decoded, without brackets; empty when the URL names no host.
    public var host: String
    /// The URL's port, or the scheme's default.
    public var port: Int
    /// The path after the first `/`, still percent-encoded; `nil` when the URL has no `/` after the authority.
    public var encodedPath: String?
    /// ``encodedPath`` decoded.
    public var path: String?
    public var queryItems: [QueryItem]

    /// Parses `text`, whose scheme must be a key of `defaultPorts` (lowercase).
    public init(parsing text: String, defaultPorts: [String: Int]) throws(ConnectionURLError) {
        guard let schemeEnd = text.firstRange(of: "://") else { throw ConnectionURLError(.unsupportedScheme) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard let defaultPort = defaultPorts[scheme] else { throw ConnectionURLError(.unsupportedScheme) }
        var rest = text[schemeEnd.upperBound...]

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var encodedPath: Substring?
        if let slash = rest.firstIndex(of: "/") {
            encodedPath = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        // The authority: [user[:password]@]host[:port].
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], part: .user)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], part: .password)
            } else {
                user = try Self.decode(userInfo, part: .user)
            }
        }

        var host: String
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw ConnectionURLError(.unterminatedIPv6Host) }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ConnectionURLError(.textAfterIPv6Host) }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = try Self.decode(rest[..<colon], part: .host)
            portText = rest[rest.index(after: colon)...]
        } else {
            host = try Self.decode(rest, part: .host)
        }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { throw ConnectionURLError(.badPort) }
            port = value
        }

        var queryItems: [QueryItem] = []
        for item in query.split(separator: "&") {
            // Empty pieces kept: `?=` has an empty name, `?heartbeat=` an empty value.
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            queryItems.append(
                QueryItem(
                    name: try Self.decode(parts[0], part: .query),
                    value: parts.count > 1 ? try Self.decode(parts[1], part: .query) : ""))
        }

        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        if let encodedPath {
            self.encodedPath = String(encodedPath)
            self.path = try Self.decode(encodedPath, part: .path)
        } else {
            self.encodedPath = nil
            self.path = nil
        }
        self.queryItems = queryItems
    }

    /// Decodes `%XX` escapes; `nil` when an escape is malformed or the bytes are not UTF-8. `+` stays `+`.
    public static func percentDecode(_ text: some StringProtocol) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next()?.hexDigitValue, let low = iterator.next()?.hexDigitValue else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func decode(_ text: Substring, part: ConnectionURLError.Part) throws(ConnectionURLError) -> String {
        guard let decoded = percentDecode(text) else { throw ConnectionURLError(.badPercentEncoding, part: part) }
        return decoded
    }
}
