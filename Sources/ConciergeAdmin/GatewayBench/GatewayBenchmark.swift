import AgentCredentials
import ConciergeAMQP
import ConciergeBench
import ConciergeCore
import ConciergePostgres
public import ConciergeRuntime
import EscalationWorker
import Foundation
import HTTPTypes
import Histogram
import HummingbirdWSClient
public import Logging
import Synchronization

/// Delivery through the agent app's WebSocket: `replicas` real `concierge-agent-gateway` processes, `agents`
/// signed-in agents each holding one WebSocket (spread over the replicas), then rounds in which every agent gets an
/// offer, then a customer message, published on `concierge.outcomes` as the escalation worker would. Prints the
/// latency from publish to the frame arriving on the socket, p50/p90/p99/max per kind, and the replicas' resident
/// memory per connected agent (VmRSS after the sockets opened and a warm-up round, minus before, over the agents).
///
/// The agents belong to a market of their own (`bench_<run>`) so no dispatcher offers them real conversations, and
/// the replicas publish presence to a private exchange (drained into a bounded queue), never to the fleet's agents
/// exchange. Needs the database migrated, the fleet's topology declared (`conciergectl topology`) and the gateway's
/// AMQP user (`gatewayAMQPURL`, default: `concierge-gateway` on the configured broker).
public struct GatewayBenchmark: Sendable {
    /// Connected agents (one WebSocket each).
    public var agents: Int
    /// Gateway replicas (processes), agents spread over them.
    public var replicas: Int
    /// Measured rounds; each sends every agent one offer, then one customer message.
    public var rounds: Int
    /// Then single deliveries, one at a time (each waits for the previous), alternating offer and message.
    public var singles: Int
    /// The gateway's AMQP URL (its own user); nil: `concierge-gateway:concierge-gateway` on amqp.url's host.
    public var gatewayAMQPURL: String?
    /// The gateway executable.
    public var gatewayBinary: String

    public init(agents: Int, replicas: Int, rounds: Int, singles: Int, gatewayAMQPURL: String?, gatewayBinary: String) {
        self.agents = agents
        self.replicas = replicas
        self.rounds = rounds
        self.singles = singles
        self.gatewayAMQPURL = gatewayAMQPURL
        self.gatewayBinary = gatewayBinary
    }

    /// Runs the benchmark and prints its figures; returns whether every delivery reached its socket.
    ///
    /// - Throws: ``BenchError`` when a replica does not become ready, the sockets do not open, a warm-up offer is lost
    ///   or a publish is not confirmed.
    public func run(configuration: FleetConfiguration, logger: Logger) async throws -> Bool {
        let amqp = try configuration.amqp(connectionName: "conciergectl-bench-gateway")
        let postgres = try configuration.postgres(applicationName: "conciergectl-bench-gateway")
        let gatewayURL = self.gatewayAMQPURL ?? Self.gatewayURL(amqp)
        let binary = self.gatewayBinary
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let run = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let presenceExchange = "concierge.gateway.bench-\(run).agents"
        let presenceSink = "concierge.gateway.bench-\(run).presence"
        try await publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: presenceExchange, type: "topic", durable: false)],
                queues: [.init(name: presenceSink, durable: false, arguments: ["x-max-length": .int(10_000)])],
                bindings: [.init(queue: presenceSink, exchange: presenceExchange, routingKey: "#")]
            )
        )

        print("[bench gateway] enrolling \(self.agents) agents in market bench_\(run) and signing them in")
        let tokens = try await Self.enrol(self.agents, run: run, database: database)

        var processes: [(process: Process, port: Int, httpPort: Int)] = []
        defer { for replica in processes where replica.process.isRunning { replica.process.terminate() } }
        for index in 0..<self.replicas {
            let (port, httpPort) = (HealthProbe.freePort(), HealthProbe.freePort())
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            var environment = ProcessInfo.processInfo.environment
            environment["AMQP_URL"] = gatewayURL
            // The gateway's own role when one is given; else the configured URL (inherited).
            if let url = environment["POSTGRES_URL_AGENT_GATEWAY"] { environment["POSTGRES_URL"] = url }
            environment["GATEWAY_HOST"] = "127.0.0.1"
            environment["GATEWAY_PORT"] = "\(port)"
            environment["GATEWAY_REPLICA_ID"] = "bench-\(run)-\(index)"
            environment["GATEWAY_AGENTS_EXCHANGE"] = presenceExchange
            environment["HTTP_HOST"] = "127.0.0.1"
            environment["HTTP_PORT"] = "\(httpPort)"
            environment["LOG_LEVEL"] = environment["BENCH_GATEWAY_LOG_LEVEL"] ?? "warning"
            process.environment = environment
            try process.run()
            processes.append((process, port, httpPort))
        }
        for replica in processes {
            let deadline = ContinuousClock.now + .seconds(60)
            while await HealthProbe.status(port: replica.httpPort, path: "/readyz") != 200 {
                guard ContinuousClock.now < deadline, replica.process.isRunning else {
                    throw BenchError("a gateway replica did not become ready")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let before = processes.map { Self.residentKilobytes(pid: $0.process.processIdentifier) }

        // The sockets: frames are matched to what was published by id.
        let recorder = DeliveryRecorder()
        var sockets: [Task<Void, any Error>] = []
        for (index, (agentID, token)) in tokens.enumerated() {
            let port = processes[index % processes.count].port
            sockets.append(Self.socket(port: port, token: token, agentID: agentID, recorder: recorder, logger: logger))
        }
        defer { for socket in sockets { socket.cancel() } }
        try await recorder.wait(forHellos: tokens.count, timeout: .seconds(60))

        // Warm-up (also waits for every replica's bindings): one offer per agent until all have arrived.
        let warmUp = try await self.round(
            "warm", kind: .offer, agents: tokens.map(\.agentID), publisher: publisher, recorder: recorder)
        guard warmUp.lost == 0 else { throw BenchError("\(warmUp.lost) warm-up offers never reached their socket") }
        try await Task.sleep(for: .seconds(1))
        let after = processes.map { Self.residentKilobytes(pid: $0.process.processIdentifier) }

        var offers = BenchSupport.latencyHistogram()
        var messages = BenchSupport.latencyHistogram()
        var lost = 0
        let started = ContinuousClock.now
        for round in 1...self.rounds {
            let offer = try await self.round(
                "r\(round)", kind: .offer, agents: tokens.map(\.agentID), publisher: publisher, recorder: recorder)
            offers.add(offer.histogram)
            let message = try await self.round(
                "r\(round)", kind: .customerMessage, agents: tokens.map(\.agentID), publisher: publisher,
                recorder: recorder)
            messages.add(message.histogram)
            lost += offer.lost + message.lost
        }
        let elapsed = ContinuousClock.now - started
        var singleOffers = BenchSupport.latencyHistogram()
        var singleMessages = BenchSupport.latencyHistogram()
        for index in 0..<self.singles {
            let agent = tokens[(index * 7919) % tokens.count].agentID
            let kind: Kind = index % 2 == 0 ? .offer : .customerMessage
            let single = try await self.round(
                "s\(index)", kind: kind, agents: [agent], publisher: publisher, recorder: recorder)
            if kind == .offer { singleOffers.add(single.histogram) } else { singleMessages.add(single.histogram) }
            lost += single.lost
        }

        let deliveries = 2 * self.rounds * self.agents
        print(
            "[bench gateway] \(self.agents) agents on \(self.replicas) replicas, \(self.rounds) burst rounds: \(deliveries) deliveries in \(String(format: "%.1f", elapsed.seconds)) s; \(lost) lost in all"
        )
        print("  bursts (every agent at once, publish of the whole round → each frame on its socket):")
        print("    offer → socket:            \(BenchSupport.percentiles(offers))  (n=\(offers.totalCount))")
        print("    customer message → socket: \(BenchSupport.percentiles(messages))  (n=\(messages.totalCount))")
        print("  one at a time (\(self.singles) deliveries, publish → frame on the socket):")
        print(
            "    offer → socket:            \(BenchSupport.percentiles(singleOffers))  (n=\(singleOffers.totalCount))")
        print(
            "    customer message → socket: \(BenchSupport.percentiles(singleMessages))  (n=\(singleMessages.totalCount))"
        )
        for (index, (was, now)) in zip(before, after).enumerated() {
            print(
                "  replica \(index): VmRSS \(was / 1024) MiB idle → \(now / 1024) MiB with \(tokens.count / self.replicas + (index < tokens.count % self.replicas ? 1 : 0)) agents"
            )
        }
        let grown = zip(before, after).map { $1 - $0 }.reduce(0, +)
        print(
            "  memory per connected agent: \(String(format: "%.1f", Double(grown) / Double(self.agents))) KiB (VmRSS growth over all replicas / agents)"
        )

        for socket in sockets { socket.cancel() }
        for replica in processes {
            replica.process.terminate()
            replica.process.waitUntilExit()
        }
        _ = try? await database.query(
            "DELETE FROM agent_sessions WHERE agent_id = ANY($1::text[])", [tokens.map(\.agentID)])
        try? await publisher.deleteQueue(presenceSink)
        try? await publisher.deleteExchange(presenceExchange)
        await publisher.close()
        await database.close()
        return lost == 0
    }

    // MARK: Rounds

    enum Kind: Equatable { case offer, customerMessage }

    /// Publishes one `kind` frame to every agent (one confirmed batch, stamped just before it goes out) and waits
    /// until each has arrived on its socket (or 30 s).
    func round(
        _ label: String, kind: Kind, agents: [String], publisher: AMQPPublisher, recorder: DeliveryRecorder
    ) async throws -> (histogram: Histogram<UInt64>, lost: Int) {
        let now = Date()
        var ids: [String] = []
        let messages = agents.map { agent -> AMQPMessage in
            switch kind {
            case .offer:
                let id = "bench-\(label)-\(agent)-offer"
                ids.append(id)
                let offer = OfferV1(
                    offerID: id, escalationID: "bench-\(agent)", conversationID: "bench-\(agent)", agentID: agent,
                    attempt: 1,
                    serviceClass: "normal", priority: .normal, vip: false, language: "en", skills: ["general"],
                    intent: "refund_status",
                    complexity: "routine", surgeMultiplierBasisPoints: 12_500, offeredAt: Timestamps.format(now),
                    expiresAt: Timestamps.format(now + 20), preview: "Where is my refund for the order from last week?",
                    waitedSeconds: 3,
                    pay: .init(amountMinor: 1188, currency: "EUR", model: "per_resolution", rateCardVersion: "bench")
                )
                return AMQPMessage(
                    exchange: FleetNames.outcomesExchange, routingKey: OfferV1.routingKey(agentID: agent),
                    body: offer.encodedBody(),
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: offer.offerID, type: "offer.v1"),
                    mandatory: false
                )
            case .customerMessage:
                let id = "bench-\(label)-\(agent)-msg"
                ids.append(id)
                let message = CustomerMessageV1(
                    inquiryID: id, conversationID: "bench-\(agent)", assignmentID: "bench-\(agent).assignment",
                    agentID: agent, seq: 3,
                    text: "Thanks, and when will it be on my card?", sentAt: Timestamps.format(now)
                )
                return AMQPMessage(
                    exchange: FleetNames.outcomesExchange, routingKey: AssignmentV1.routingKey(agentID: agent),
                    body: message.encodedBody(),
                    properties: AMQPProperties(
                        contentType: "application/json", persistent: true, messageId: message.messageID,
                        type: "customer_message.v1"),
                    mandatory: false
                )
            }
        }
        recorder.expect(ids, at: .now)
        let outcomes = try await publisher.publish(messages)
        guard outcomes.allSatisfy({ $0 == .confirmed }) else { throw BenchError("publish not confirmed") }
        return try await recorder.collect(ids, timeout: .seconds(30))
    }

    // MARK: Agents and sockets

    /// Customers of two years enrolled as agents in market `bench_<run>`, with credentials (cheap hashes: sign-in is not
    /// what is measured) and a session each; returns (agent id, session token).
    static func enrol(_ count: Int, run: String, database: PostgresConnection) async throws -> [(
        agentID: String, token: String
    )] {
        let rules = EscalationSettings().eligibility
        let store = AgentCredentialStore(database: database, hasher: PasswordHasher(cost: 4))
        var tokens: [(String, String)] = []
        for index in 0..<count {
            let customer = "bench_\(run)_\(index)"
            _ = try await database.query(
                "INSERT INTO customers (customer_id, display_name, market, created_at) VALUES ($1, $2, $3, now() - interval '2 years')",
                [customer, "Bench \(index)", "bench_\(run)"]
            )
            let application = AgentAppliedV1(
                messageID: "\(customer).applied", customerID: customer, languages: ["en"], skills: ["general"],
                capacity: 3,
                purchases: 10, overdueInstalments: 0, appliedAt: Timestamps.format(Date())
            )
            let outcome = try await database.transaction {
                try AgentEnrollment.enroll(application, rules: rules, in: $0)
            }
            guard outcome.status == "active" else { throw BenchError("bench agent not enrolled: \(outcome.reasons)") }
            let password = try await store.issue(agentID: outcome.agentID)
            guard case .signedIn(let token, _, _) = try await store.signIn(agentID: outcome.agentID, password: password)
            else {
                throw BenchError("bench agent \(outcome.agentID) could not sign in")
            }
            tokens.append((outcome.agentID, token))
        }
        return tokens
    }

    static func socket(port: Int, token: String, agentID: String, recorder: DeliveryRecorder, logger: Logger) -> Task<
        Void, any Error
    > {
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        configuration.additionalHeaders[.cookie] = "concierge_session=\(token)"
        configuration.additionalHeaders[.origin] = "http://127.0.0.1:\(port)"
        return Task {
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/ws", configuration: configuration, logger: logger
            ) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    recorder.received(text, at: .now)
                }
            }
        }
    }

    // MARK: Helpers

    /// `concierge-gateway:concierge-gateway` on the host, port and virtual host of the configured broker.
    static func gatewayURL(_ amqp: AMQPConfiguration) -> String {
        let vhost = amqp.virtualHost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2f"
        return "amqp://concierge-gateway:concierge-gateway@\(amqp.host):\(amqp.port)/\(vhost)"
    }

    /// VmRSS of a process in KiB (0 when unreadable).
    static func residentKilobytes(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
