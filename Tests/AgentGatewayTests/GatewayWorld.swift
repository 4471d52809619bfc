import AgentCredentials
import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import EscalationWorker
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import PayoutWorker
import Synchronization

/// A private world for one gateway test: its own market and escalation queues (an in-process, real escalation
/// worker when asked), a private agents exchange the gateway publishes to (bound to this world's agent events queue
/// and to a capture queue the test reads), agents with credentials, and gateway replicas connected as the
/// gateway's own AMQP user.
final class GatewayWorld: Sendable {
    let id: String
    let market: String
    let settings: EscalationSettings
    /// The escalation consumers' and dispatcher's metrics (one instance, as EscalationWorker.services makes it).
    let metrics = EscalationMetrics()
    let agentsExchange: String
    let captureQueue: String
    let logger: Logger
    let logStore: InMemoryLogHandler
    let amqp: AMQPConfiguration
    let gatewayAMQP: AMQPConfiguration
    let postgres: PostgresConfiguration
    let publisher: AMQPPublisher
    let database: PostgresConnection
    let topology: AMQPTopology

    static var gatewayAMQPURL: String {
        TestServices.environment["CONCIERGE_TEST_GATEWAY_AMQP_URL"]
            ?? "amqp://concierge-gateway:concierge-gateway@127.0.0.1:5672/%2f"
    }

    static func make(_ label: String, heartbeatTimeoutMilliseconds: Int = 120_000) async throws -> GatewayWorld {
        let store = InMemoryLogHandler()
        let logger = store.logger()
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-gateway-\(label)")
        let gatewayAMQP = try AMQPConfiguration(url: Self.gatewayAMQPURL, connectionName: "test-gateway-\(label)")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL, applicationName: "test-gateway")
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let id = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        var settings = EscalationSettings()
        settings.markets = ["g_\(id)"]
        settings.defaultMarket = "g_\(id)"
        settings.queue = "test.gw.\(id).inquiries"
        settings.agentEventsQueue = "test.gw.\(id).agent-events"
        settings.heartbeatTimeoutMilliseconds = heartbeatTimeoutMilliseconds
        settings.dispatchInterval = .milliseconds(50)
        // Offers quote their pay: the shipped rate cards, with this world's market priced like EU.
        let cards = try String(contentsOfFile: TestServices.repositoryFile("config/payouts.yaml"), encoding: .utf8)
        settings.rateCards = try RateCardBook.parse(
            cards.replacingOccurrences(of: "\n      EU:\n", with: "\n      \(settings.defaultMarket.uppercased()):\n")
        )
        let agentsExchange = "test.gw.\(id).agents"
        let captureQueue = "test.gw.\(id).capture"
        var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(settings.queue)
        topology.queues += FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(settings.agentEventsQueue)
            .queues
            .filter { $0.name == settings.agentEventsQueue }
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
        topology.exchanges.append(.init(name: agentsExchange, type: "topic", durable: false))
        topology.queues.append(.init(name: captureQueue, durable: false))
        topology.bindings.append(
            .init(queue: settings.agentEventsQueue, exchange: agentsExchange, routingKey: "agent.#"))
        topology.bindings.append(.init(queue: captureQueue, exchange: agentsExchange, routingKey: "agent.#"))
        try await publisher.declare(topology)
        return GatewayWorld(
            id: id, settings: settings, agentsExchange: agentsExchange, captureQueue: captureQueue, logger: logger,
            logStore: store,
            amqp: amqp, gatewayAMQP: gatewayAMQP, postgres: postgres, publisher: publisher, database: database,
            topology: topology
        )
    }

    private init(
        id: String, settings: EscalationSettings, agentsExchange: String, captureQueue: String, logger: Logger,
        logStore: InMemoryLogHandler, amqp: AMQPConfiguration, gatewayAMQP: AMQPConfiguration,
        postgres: PostgresConfiguration,
        publisher: AMQPPublisher, database: PostgresConnection, topology: AMQPTopology
    ) {
        self.id = id
        self.market = settings.markets[0]
        self.settings = settings
        self.agentsExchange = agentsExchange
        self.captureQueue = captureQueue
        self.logger = logger
        self.logStore = logStore
        self.amqp = amqp
        self.gatewayAMQP = gatewayAMQP
        self.postgres = postgres
        self.publisher = publisher
        self.database = database
        self.topology = topology
    }

    // MARK: The real escalation worker

    func startEscalation() -> [Task<Void, any Error>] {
        var inquiries = WorkerSettings(
            name: "escalation-\(self.id)", queue: self.settings.queue, topology: self.topology)
        inquiries.batchSize = 50
        inquiries.retryTiers = PassthroughFleet.retryTiers
        // It relays the offers and notices the dispatcher writes (as the escalation executable does).
        inquiries.sweptProducers = [inquiries.name, EscalationWorker.dispatcherName]
        var events = WorkerSettings(
            name: "escalation-agents-\(self.id)", queue: self.settings.agentEventsQueue, topology: self.topology)
        events.batchSize = 50
        events.retryTiers = PassthroughFleet.retryTiers
        let first = WorkerService(
            settings: inquiries, handler: EscalationHandler(settings: self.settings, metrics: self.metrics),
            amqp: self.amqp, postgres: self.postgres,
            health: WorkerHealth(), logger: self.logger
        )
        let second = WorkerService(
            settings: events, handler: AgentEventHandler(settings: self.settings, metrics: self.metrics),
            amqp: self.amqp, postgres: self.postgres,
            health: WorkerHealth(), logger: self.logger
        )
        let dispatcher = DispatcherService(
            settings: self.settings, metrics: self.metrics, postgres: self.postgres, logger: self.logger)
        return [Task { try await first.run() }, Task { try await second.run() }, Task { try await dispatcher.run() }]
    }

    // MARK: Gateway replicas

    func gatewaySettings(_ replica: String, heartbeat: Duration = .seconds(1)) -> GatewaySettings {
        var settings = GatewaySettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.replicaID = "test-\(self.id)-\(replica)"
        settings.agentsExchange = self.agentsExchange
        settings.bcryptCost = 4
        settings.heartbeatInterval = heartbeat
        settings.signIn = SignInPolicy(sessionTTLSeconds: 3600, maximumFailures: 5, lockoutSeconds: 60)
        return settings
    }

    /// Starts a replica; returns it with its task and port. It connects as the gateway's AMQP user, with `amqp` when
    /// given (a test that finds its connections on the broker by name, or slows its reconnects).
    func startGateway(
        _ replica: String, heartbeat: Duration = .seconds(1), amqp: AMQPConfiguration? = nil,
        metrics: GatewayMetrics = GatewayMetrics()
    ) async throws -> (GatewayService, Task<Void, any Error>, Int) {
        let gateway = GatewayService(
            settings: self.gatewaySettings(replica, heartbeat: heartbeat), amqp: amqp ?? self.gatewayAMQP,
            postgres: self.postgres,
            metrics: metrics, logger: self.logger
        )
        let failure = Mutex<(any Error)?>(nil)
        let task = Task {
            do { try await gateway.run() } catch {
                failure.withLock { $0 = error }
                throw error
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let port = gateway.listeningPort { return (gateway, task, port) }
            if let error = failure.withLock({ $0 }) { throw error }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("gateway \(replica) did not listen")
    }

    // MARK: Agents

    /// A long-standing customer enrolled as an agent, with credentials; returns (agent id, password).
    func agent(_ name: String, displayName: String? = nil, capacity: Int = 2) async throws -> (String, String) {
        let customer = "\(self.id)-\(name)"
        try await self.database.query(
            "INSERT INTO customers (customer_id, display_name, market, created_at) VALUES ($1, $2, $3, now() - interval '400 days')",
            [customer, displayName ?? name.capitalized, self.market]
        )
        let application = AgentAppliedV1(
            messageID: "\(customer).applied", customerID: customer, languages: ["en"],
            skills: ["general", "payments", "vip"],
            capacity: capacity, purchases: 10, overdueInstalments: 0, appliedAt: Timestamps.format(Date())
        )
        let rules = self.settings.eligibility
        let outcome = try await self.database.transaction {
            try AgentEnrollment.enroll(application, rules: rules, in: $0)
        }
        guard outcome.status == "active" else { throw TestFailure("agent \(name) not enrolled: \(outcome.reasons)") }
        let store = AgentCredentialStore(database: self.database, hasher: PasswordHasher(cost: 4))
        return (outcome.agentID, try await store.issue(agentID: outcome.agentID))
    }

    // MARK: Inquiries and outcomes

    /// A human-lane inquiry from a new customer of this market; returns the conversation id.
    @discardableResult
    func inquire(
        _ name: String, text: String = "I need a person", customerName: String? = nil, channel: String = "chat",
        conversationID: String? = nil, customer: String? = nil, suffix: String = ""
    ) async throws -> String {
        let customer = customer ?? "\(self.id)-cus-\(name)"
        try await self.database.query(
            "INSERT INTO customers (customer_id, display_name, market) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [customer, customerName ?? name.capitalized, self.market]
        )
        let messageID = "\(self.id)-inq-\(name)\(suffix)"
        let inquiry = InquiryV1(
            messageID: messageID, conversationID: conversationID, customerID: customer, channel: channel,
            language: "en", text: text,
            sentAt: Timestamps.format(Date())
        )
        let routed = RoutedInquiryV1(
            messageID: "\(messageID).routed", inquiry: inquiry,
            decision: .init(
                route: .human, priority: .normal, intent: "general_question", confidence: 0.9,
                reasons: ["asked_for_human"], sensitive: false,
                complexity: "routine", skills: ["general"], language: "en", vip: false, assignedAgentID: nil
            )
        )
        try await self.publishRaw(routed.encodedBody(), id: routed.messageID, exchange: "", key: self.settings.queue)
        return inquiry.conversation
    }

    func publishRaw(_ body: [UInt8], id: String, exchange: String, key: String, mandatory: Bool = true) async throws {
        let outcome = try await self.publisher.publish([
            AMQPMessage(
                exchange: exchange, routingKey: key, body: body,
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: id, userId: self.amqp.username),
                mandatory: mandatory
            )
        ])
        guard outcome == [.confirmed] else {
            throw TestFailure("publish to \(exchange)/\(key) not confirmed: \(outcome)")
        }
    }

    /// Publishes a contract message to the outcomes exchange as the escalation worker would.
    func publishOutcome(_ message: some MessageContract, id: String, key: String) async throws {
        try await self.publishRaw(
            message.encodedBody(), id: id, exchange: FleetNames.outcomesExchange, key: key, mandatory: false)
    }

    /// The agent events the gateway published (from the capture queue), with their AMQP user.
    func capturedEvents(atLeast count: Int, timeout: Duration = .seconds(15)) async throws -> [(AgentEventV1, String?)]
    {
        let consumer = try await AMQPConsumer.connect(
            configuration: self.amqp, queue: self.captureQueue, prefetch: 500, logger: self.logger)
        var events: [(AgentEventV1, String?)] = []
        let deadline = ContinuousClock.now + timeout
        // Heartbeats come every few seconds and do not count (on a slow machine they filled the count before the
        // events a test waits for arrived).
        while events.filter({ $0.0.event != .heartbeat }).count < count, ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 500, timeout: .milliseconds(200))
            for delivery in deliveries {
                events.append(
                    (try ContractDecoder().decode(AgentEventV1.self, from: delivery.body), delivery.properties.userId))
            }
            try await consumer.ack(deliveries)
        }
        await consumer.close()
        return events
    }

    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws
    {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func escalationState(_ conversationID: String) async throws -> String? {
        try await self.database.query(
            "SELECT state FROM escalations WHERE conversation_id = $1 ORDER BY enqueued_at DESC LIMIT 1",
            [conversationID]
        )
        .first.map { try $0.decode(String.self, named: "state") }
    }

    func tearDown(_ tasks: [Task<Void, any Error>]) async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
        for queue in [self.settings.queue, self.settings.agentEventsQueue, self.captureQueue] {
            try? await self.publisher.deleteQueue(queue)
        }
        try? await self.publisher.deleteExchange(self.agentsExchange)
        await self.publisher.close()
        await self.database.close()
    }
}
