import ConciergeSupport
public import Foundation

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
        let parts: ConnectionURL
        do throws(ConnectionURLError) {
            parts = try ConnectionURL(parsing: url, defaultPorts: ["postgres": 5432, "postgresql": 5432])
        } catch  where error.code == .unsupportedScheme {
            throw invalid("scheme must be postgres:// or postgresql://")
        } catch {
            throw invalid(error.description)
        }
        var host = parts.host
        var database = parts.path ?? ""
        var sslMode: String?
        var tlsFiles: [String: String] = [:]
        var connectTimeout = Duration.seconds(5)
        var appName = applicationName
        for item in parts.queryItems {
            let (key, value) = (item.name, item.value)
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

        if host.isEmpty { host = "localhost" }
        guard let user = parts.user, !user.isEmpty else { throw invalid("missing user") }
        if database.isEmpty { database = user }
        func file(_ key: String, _ variable: String) -> String? {
            tlsFiles[key] ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        let rootCertificate = file("sslrootcert", "PGSSLROOTCERT")
        let mode = try Self.resolvedSSLMode(
            sslMode ?? environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 }, rootCertificate: rootCertificate,
            host: host, invalid: invalid)
        self.init(
            host: host, port: parts.port, user: user, password: parts.password, database: database,
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
                throw invalid(
                    "sslmode \(requested) may fall back to plain text; use require, verify-ca or verify-full (or disable on loopback)"
                )
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
}
