import ConciergeSupport

/// How to reach and log in to an AMQP 0-9-1 broker.
///
/// Build it from a URL (`amqp://user:password@host:5672/%2f`, `amqps://…` for TLS) with
/// ``init(url:connectionName:)`` and adjust the timing knobs afterwards if needed.
/// `description` never shows the password.
public struct AMQPConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Broker host name or IP address.
    public var host: String
    /// Broker port (5672 for `amqp`, 5671 for `amqps` by default).
    public var port: Int
    /// User name for SASL PLAIN.
    public var username: String
    /// Password for SASL PLAIN. Secret: never logged, never shown in `description`.
    public var password: String
    /// The virtual host, already percent-decoded (`"/"` for the default one).
    public var virtualHost: String
    /// Whether to connect with TLS.
    public var useTLS: Bool
    /// Whether to verify the broker's certificate chain and host name (TLS only). Defaults to `true`.
    public var verifyPeer: Bool
    /// A PEM file of trusted CA certificates (TLS only; URL query `cacertfile`); `nil` uses the system's trust store
    /// (`/etc/ssl/certs/ca-certificates.crt`).
    public var caCertificatePath: String?
    /// A PEM client certificate and its key for brokers that ask for one (TLS only; URL query `certfile`, `keyfile`).
    public var clientCertificatePath: String?
    public var clientKeyPath: String?
    /// The heartbeat interval asked of the broker. Must be at least one second; rounded up to whole seconds.
    public var heartbeat: Duration
    /// How long opening the socket, and separately the AMQP handshake, may take.
    public var connectTimeout: Duration
    /// How long a broker round trip (a declare, a publisher confirm, waiting for a reconnect) may take.
    public var operationTimeout: Duration
    /// The first delay before reconnecting; doubles per failed attempt up to ``maximumReconnectDelay`` (±20 % jitter).
    public var initialReconnectDelay: Duration
    /// The largest delay between reconnect attempts.
    public var maximumReconnectDelay: Duration
    /// Sent as the client property `connection_name`; shown in the broker's management UI.
    public var connectionName: String
    /// Further nodes of the same cluster (same credentials, virtual host and TLS settings), tried in turn after
    /// `host`:`port` when connecting and reconnecting, so a client follows the cluster when a node goes away.
    public var alternateEndpoints: [Endpoint] = []

    /// A broker node's address.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// Every node to try, `host`:`port` first.
    public var endpoints: [Endpoint] { [Endpoint(host: host, port: port)] + alternateEndpoints }

    /// This configuration aimed at one of its endpoints.
    func at(_ endpoint: Endpoint) -> AMQPConfiguration {
        var configuration = self
        configuration.host = endpoint.host
        configuration.port = endpoint.port
        return configuration
    }

    /// Creates a configuration from explicit values.
    public init(
        host: String = "127.0.0.1", port: Int? = nil, username: String = "guest", password: String = "guest",
        virtualHost: String = "/", useTLS: Bool = false, verifyPeer: Bool = true, caCertificatePath: String? = nil,
        heartbeat: Duration = .seconds(10), connectTimeout: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(30), connectionName: String = "concierge"
    ) {
        self.host = host
        self.port = port ?? (useTLS ? 5671 : 5672)
        self.username = username
        self.password = password
        self.virtualHost = virtualHost
        self.useTLS = useTLS
        self.verifyPeer = verifyPeer
        self.caCertificatePath = caCertificatePath
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.initialReconnectDelay = .milliseconds(100)
        self.maximumReconnectDelay = .seconds(5)
        self.connectionName = connectionName
    }

    /// Parses an `amqp://` or `amqps://` URL, or several separated by commas (the nodes of one cluster: the first
    /// gives the credentials and settings, the others add ``alternateEndpoints``).
    ///
    /// - Default ports are 5672 (`amqp`) and 5671 (`amqps`); user name and password default to `guest`.
    /// - The path is the percent-decoded virtual host: `/%2f` and an empty path both mean `"/"`.
    /// - Query items `heartbeat` (seconds) and `connection_timeout` (milliseconds) are honoured; with `amqps://` also
    ///   `cacertfile`, `certfile`, `keyfile` (PEM paths) and `verify` (`verify_peer`, the default, or `verify_none`).
    ///   Any other item is rejected rather than ignored.
    /// - Throws: ``AMQPError`` with code ``AMQPError/Code/invalidURL``; the message never contains the password.
    public init(url: String, connectionName: String = "concierge") throws {
        let urls = url.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        self = try AMQPURLParser.parse(urls.first ?? url)
        for other in urls.dropFirst() {
            let node = try AMQPURLParser.parse(other)
            self.alternateEndpoints.append(Endpoint(host: node.host, port: node.port))
        }
        self.connectionName = connectionName
    }

    public var description: String {
        let scheme = useTLS ? "amqps" : "amqp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let vhost = virtualHost == "/" ? "%2f" : virtualHost
        let alternates =
            alternateEndpoints.isEmpty ? "" : " (also \(alternateEndpoints.map(\.description).joined(separator: ", ")))"
        return "\(scheme)://\(username)@\(hostPart):\(port)/\(vhost)\(alternates) (connection_name: \(connectionName))"
    }

    public var debugDescription: String { description }

    /// Mirrors every property except the password (so `dump` cannot leak it).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "username": username, "password": "<redacted>",
                "virtualHost": virtualHost, "useTLS": useTLS, "verifyPeer": verifyPeer,
                "caCertificatePath": caCertificatePath as Any, "clientCertificatePath": clientCertificatePath as Any,
                "clientKeyPath": clientKeyPath as Any, "heartbeat": heartbeat,
                "connectTimeout": connectTimeout, "operationTimeout": operationTimeout,
                "connectionName": connectionName,
            ], displayStyle: .struct)
    }

    /// The heartbeat in whole seconds as sent to the broker (at least 1).
    var heartbeatSeconds: Int {
        max(1, Int(heartbeat.inSecondsRoundedUp))
    }
}
