public import AgentCredentials
import ConciergeCore
public import ConciergeRuntime
import Configuration
import Foundation

/// The gateway's configuration (environment variables in upper snake case override `config/concierge.yaml`).
///
/// Keys:
/// - `gateway.host` (0.0.0.0), `gateway.port` (8090; 0 picks a free port): where the app (HTML, WebSocket) listens.
///   Health and metrics are on `http.port` as for every worker.
/// - `gateway.replica_id` (random): names this replica's queue `concierge.gateway.<replica_id>`
/// - `gateway.agents_exchange` (`concierge.agents`): where agent events are published
/// - `gateway.outcomes_exchange` (`concierge.outcomes`): where offers and conversation messages come from
/// - `gateway.session.ttl_minutes` (720), `gateway.signin.max_failures` (5), `gateway.signin.lockout_seconds` (300),
///   `gateway.bcrypt_cost` (12)
/// - `gateway.heartbeat_seconds` (10): how often a connected agent's presence is renewed (`heartbeat` events; the
///   escalation worker takes an agent offline after `escalation.heartbeat_timeout_ms` of silence)
/// - `gateway.ws.max_message_bytes` (16384): the largest WebSocket message accepted; more closes the socket
/// - `gateway.ws.ping_seconds` (15): WebSocket pings; a browser that does not answer is disconnected
/// - `gateway.cookie_secure` (false): mark the session cookie `Secure` (set it behind TLS)
/// - `amqp.url` (secret): the gateway's own AMQP user (`concierge-gateway`); it is stamped as `user_id` on every event
public struct GatewaySettings: Sendable {
    public var host = "0.0.0.0"
    public var port = 8090
    public var replicaID = "r" + SecretToken.hex(bytes: 6)
    public var agentsExchange = FleetNames.agentsExchange
    public var outcomesExchange = FleetNames.outcomesExchange
    public var signIn = SignInPolicy()
    public var bcryptCost: UInt8 = 12
    public var heartbeatInterval: Duration = .seconds(10)
    public var maximumMessageBytes = 16 * 1024
    public var pingInterval: Duration = .seconds(15)
    public var secureCookie = false

    public init() {}

    public init(configuration: FleetConfiguration) {
        let reader = configuration.reader
        self.host = reader.string(forKey: "gateway.host", default: self.host)
        self.port = reader.int(forKey: "gateway.port", default: self.port)
        let replica = reader.string(forKey: "gateway.replica_id", default: "")
        if !replica.isEmpty { self.replicaID = replica }
        self.agentsExchange = reader.string(forKey: "gateway.agents_exchange", default: self.agentsExchange)
        self.outcomesExchange = reader.string(forKey: "gateway.outcomes_exchange", default: self.outcomesExchange)
        self.signIn = SignInPolicy(
            sessionTTLSeconds: 60 * reader.int(forKey: "gateway.session.ttl_minutes", default: 720),
            maximumFailures: reader.int(forKey: "gateway.signin.max_failures", default: 5),
            lockoutSeconds: reader.int(forKey: "gateway.signin.lockout_seconds", default: 300)
        )
        self.bcryptCost = UInt8(clamping: reader.int(forKey: "gateway.bcrypt_cost", default: 12))
        self.heartbeatInterval = .seconds(max(1, reader.int(forKey: "gateway.heartbeat_seconds", default: 10)))
        self.maximumMessageBytes = max(
            1024, reader.int(forKey: "gateway.ws.max_message_bytes", default: self.maximumMessageBytes))
        self.pingInterval = .seconds(max(1, reader.int(forKey: "gateway.ws.ping_seconds", default: 15)))
        self.secureCookie = reader.bool(forKey: "gateway.cookie_secure", default: false)
    }

    /// This replica's queue: it receives the offers and conversation messages of the agents connected here.
    public var queueName: String { "concierge.gateway.\(self.replicaID)" }
}
