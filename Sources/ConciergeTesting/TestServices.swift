import ConciergeAMQP
import ConciergePostgres
public import Foundation

/// Where the integration tests find RabbitMQ and PostgreSQL, and whether they must.
///
/// `scripts/test` starts both services and sets `CONCIERGE_TEST_SERVICES=require`: then a suite that needs a service
/// runs and fails loudly if the service is missing. Without it (a plain `swift test` on a laptop) such suites are
/// skipped when a quick TCP probe finds nothing listening.
public enum TestServices {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    public static var required: Bool { environment["CONCIERGE_TEST_SERVICES"] == "require" }

    public static var amqpURL: String {
        environment["CONCIERGE_TEST_AMQP_URL"] ?? "amqp://concierge:concierge@127.0.0.1:5672/%2f"
    }

    /// The same broker's `concierge-test` virtual host (created by `scripts/services`), for a test that runs a whole
    /// worker executable, which consumes the fleet's fixed queue names: there it cannot take messages published on
    /// `/` for other suites' workers. `CONCIERGE_TEST_ISOLATED_AMQP_URL` overrides it.
    public static var isolatedAMQPURL: String {
        if let url = environment["CONCIERGE_TEST_ISOLATED_AMQP_URL"] { return url }
        return self.amqpURL(vhost: "concierge-test")
    }

    /// `amqpURL` on another virtual host (one `scripts/services` created: `concierge-test`, `concierge-test-privacy`).
    public static func amqpURL(vhost: String) -> String {
        guard let slash = amqpURL.range(of: "/", options: .backwards), amqpURL[..<slash.lowerBound].contains("@") else {
            return amqpURL + "/" + vhost
        }
        return amqpURL[..<slash.lowerBound] + "/" + vhost
    }

    /// `amqpURL` with the credentials of `user` (whose password is its name, as `scripts/rabbitmq-users` makes
    /// them for development), e.g. `concierge-escalation`: to publish as a given worker kind.
    public static func amqpURL(as user: String) -> String {
        guard let scheme = amqpURL.range(of: "://"),
            let at = amqpURL.range(of: "@", range: scheme.upperBound..<amqpURL.endIndex)
        else {
            return amqpURL
        }
        return amqpURL[..<scheme.upperBound] + "\(user):\(user)" + amqpURL[at.lowerBound...]
    }

    public static var postgresURL: String {
        environment["CONCIERGE_TEST_POSTGRES_URL"] ?? "postgres://concierge:concierge@127.0.0.1:5432/concierge_test"
    }

    /// True when the suites that need both services should run: always when they are required (then a missing
    /// service fails them loudly), else when both answer on the host and port of their configured URLs.
    public static var enabled: Bool { required || (amqpReachable && postgresReachable) }

    /// Whether the broker of `CONCIERGE_TEST_AMQP_URL` accepts TCP connections.
    public static let amqpReachable: Bool = {
        guard let configuration = try? AMQPConfiguration(url: amqpURL) else { return false }
        return reachable(host: configuration.host, port: configuration.port)
    }()

    /// Whether the database server of `CONCIERGE_TEST_POSTGRES_URL` accepts TCP connections.
    public static let postgresReachable: Bool = {
        guard let configuration = try? PostgresConfiguration(url: postgresURL) else { return false }
        return reachable(host: configuration.host, port: configuration.port)
    }()

    /// A name no other test run uses: `prefix.<random>`.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix).\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
    }

    /// An executable built by the package (`conciergectl`, …), from `CONCIERGE_BIN_DIR` (set by `scripts/test`) or
    /// the default debug build folder.
    public static func executable(_ name: String, filePath: String = #filePath) -> URL {
        if let directory = environment["CONCIERGE_BIN_DIR"] {
            return URL(fileURLWithPath: directory).appendingPathComponent(name)
        }
        var root = URL(fileURLWithPath: filePath)
        while root.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug").appendingPathComponent(name)
    }

    /// A file of this repository (found from this source file's location), e.g. `config/payouts.yaml`.
    public static func repositoryFile(_ relativePath: String, filePath: String = #filePath) -> String {
        var root = URL(fileURLWithPath: filePath)
        while root.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        return root.appendingPathComponent(relativePath).path
    }

    /// One TCP connect to `host:port` (any address it resolves to), waiting at most a second.
    public static func reachable(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return false }
        defer { freeaddrinfo(first) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                var timeout = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let connected = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
                close(fd)
                if connected { return true }
            }
            candidate = info.pointee.ai_next
        }
        return false
    }
}
