import Foundation

/// Where and how to connect to PostgreSQL.
///
/// Built from a `postgres://` or `postgresql://` URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=PATH&connect_timeout=SECONDS]`.
/// User, password, host and database are percent-decoded; the port defaults to 5432 and the database to the user
/// name. An IPv6 host is written in brackets. Query keys understood: `sslmode`, `sslrootcert`, `sslcert`, `sslkey`,
/// `sslcrl`, `connect_timeout` (seconds), `application_name`, `host` (e.g. a Unix-socket directory), `dbname`; any
/// other key is rejected so that a setting is never silently ignored.
///
/// TLS, resolved once here (see ``resolvedSSLMode(_:rootCertificate:host:)``): the URL's `sslmode` wins, then libpq's
/// `PGSSLMODE`; without either the mode is `verify-full` (certificate chain and host name checked) for any host that is
/// not loopback or a Unix socket, and `disable` for loopback. `allow` and `prefer` are refused: they fall back to plain
/// text when the server does not offer TLS. The certificate paths likewise come from the URL, then `PGSSLROOTCERT`,
/// `PGSSLCERT`, `PGSSLKEY`, `PGSSLCRL`; a root certificate without any mode means `verify-full`.
///
/// `description` never shows the password, so a configuration can be logged.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// Host name, IP address, or Unix-socket directory (starting with `/`).
    public var host: String
    /// TCP port (default 5432).
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Password, if any. Never logged.
    public var password: String?
    /// Database name.
    public var database: String
    /// Reported to the server as `application_name` (visible in `pg_stat_activity`).
    public var applicationName: String
    /// How long establishing one connection may take (default 5 s; libpq counts whole seconds, at least 1).
    public var connectTimeout: Duration
    /// libpq `sslmode` (`disable`, `require`, `verify-ca`, `verify-full`); nil leaves it to libpq (only when built
    /// from parts: ``init(url:applicationName:environment:)`` always resolves a mode).
    public var sslMode: String?
    /// libpq `sslrootcert`: a PEM file of the CAs trusted to sign the server's certificate.
    public var sslRootCertificate: String?
    /// libpq `sslcert` / `sslkey`: a client certificate and its key (optional).
    public var sslCertificate: String?
    public var sslKey: String?
    /// libpq `sslcrl`: a certificate revocation list (optional).
    public var sslRevocationList: String?
    /// Server settings for every session of this configuration (`SET name = value` at connect, through libpq's
    /// `options`), e.g. `["plan_cache_mode": "force_custom_plan"]`. Names are letters, digits, `_` and `.`.
    public var sessionSettings: [String: String] = [:]

    /// Creates a configuration from its parts.
    public init(
        host: String,
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String,
        applicationName: String = "concierge",
        connectTimeout: Duration = .seconds(5),
        sslMode: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.sslMode = sslMode
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    ///
    /// - Throws: ``PostgresError`` with code ``PostgresError/Code/invalidURL``; its description names what is wrong
    ///   but never repeats the URL (which may hold the password).
    public init(
        url: String, applicationName: String = "concierge",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        func invalid(_ reason: String) -> PostgresError {
            PostgresError(code: .invalidURL, operation: "configure", context: reason)
        }
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else if lowered.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else {
            throw invalid("scheme must be postgres:// or postgresql://")
        }

        // Split off the query, then the path.
        var query: Substring = ""
        var beforeQuery = rest
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            beforeQuery = rest[..<q]
        }
        var authority = beforeQuery
        var path: Substring = ""
        if let slash = beforeQuery.firstIndex(of: "/") {
            authority = beforeQuery[..<slash]
            path = beforeQuery[beforeQuery.index(after: slash)...]
        }

        // user:password@host:port (the last "@" separates, so an unencoded "@" in the password still works).
        var userInfo: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        var user: String?
        var password: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.percentDecode(userInfo[..<colon], invalid: invalid)
                password = try Self.percentDecode(userInfo[userInfo.index(after: colon)...], invalid: invalid)
            } else {
                user = try Self.percentDecode(userInfo, invalid: invalid)
            }
        }

        var host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("unterminated IPv6 host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.percentDecode(hostPort[..<colon], invalid: invalid)
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = try Self.percentDecode(hostPort, invalid: invalid)
        }
        var port = 5432
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { throw invalid("invalid port") }
            port = value
        }

        var database = try Self.percentDecode(path, invalid: invalid)
        var sslMode: String?
        var tlsFiles: [String: String] = [:]
        var connectTimeout = Duration.seconds(5)
        var appName = applicationName
        if !query.isEmpty {
            for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = try Self.percentDecode(parts[0], invalid: invalid)
                let value = parts.count > 1 ? try Self.percentDecode(parts[1], invalid: invalid) : ""
                switch key {
                case "sslmode":
                    let modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
                    guard modes.contains(value) else { throw invalid("unknown sslmode") }
                    sslMode = value
                case "sslrootcert", "sslcert", "sslkey", "sslcrl":
                    guard !value.isEmpty else { throw invalid("empty \(key)") }
                    tlsFiles[key] = value
                case "connect_timeout":
                    guard let seconds = Int(value), seconds > 0 else { throw invalid("invalid connect_timeout") }
                    connectTimeout = .seconds(seconds)
                case "application_name":
                    appName = value
                case "host":
                    host = value
                case "dbname":
                    database = value
                default:
                    throw invalid("unsupported query parameter \(key)")
                }
            }
        }

        if host.isEmpty { host = "localhost" }
        guard let user, !user.isEmpty else { throw invalid("missing user") }
        if database.isEmpty { database = user }
        func file(_ key: String, _ variable: String) -> String? {
            tlsFiles[key] ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        let rootCertificate = file("sslrootcert", "PGSSLROOTCERT")
        let mode = try Self.resolvedSSLMode(
            sslMode ?? environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 }, rootCertificate: rootCertificate,
            host: host, invalid: invalid)
        self.init(
            host: host, port: port, user: user, password: password, database: database,
            applicationName: appName, connectTimeout: connectTimeout, sslMode: mode
        )
        self.sslRootCertificate = rootCertificate
        self.sslCertificate = file("sslcert", "PGSSLCERT")
        self.sslKey = file("sslkey", "PGSSLKEY")
        self.sslRevocationList = file("sslcrl", "PGSSLCRL")
    }

    /// The SSL mode to use: `requested` (from the URL or `PGSSLMODE`) when it cannot fall back to plain text, else
    /// `verify-full` for a remote host or a given root certificate and `disable` for loopback and Unix sockets.
    static func resolvedSSLMode(
        _ requested: String?, rootCertificate: String?, host: String, invalid: (String) -> PostgresError
    ) throws -> String {
        if let requested {
            switch requested {
            case "disable", "require", "verify-ca", "verify-full":
                return requested
            case "allow", "prefer":
                throw invalid("sslmode \(requested) may fall back to plain text; use require, verify-ca or verify-full (or disable on loopback)")
            default:
                throw invalid("unknown sslmode")
            }
        }
        if rootCertificate != nil { return "verify-full" }
        return Self.isLocal(host) ? "disable" : "verify-full"
    }

    /// Loopback addresses, `localhost` and Unix-socket directories.
    static func isLocal(_ host: String) -> Bool {
        host.hasPrefix("/") || host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `postgres://user@host:port/database`, plus the SSL mode and application name; never the password.
    public var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(user)@\(hostText):\(port)/\(database)"
        text += " (application_name: \(applicationName)"
        if let sslMode { text += ", sslmode: \(sslMode)" }
        if let sslRootCertificate { text += ", sslrootcert: \(sslRootCertificate)" }
        return text + ")"
    }

    private static func percentDecode(
        _ text: Substring, invalid: (String) -> PostgresError
    ) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("invalid percent-encoding")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("percent-encoding is not UTF-8")
        }
        return decoded
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
