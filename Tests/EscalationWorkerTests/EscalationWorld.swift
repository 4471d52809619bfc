import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import EscalationWorker
import Foundation
import Logging
import PayoutWorker

/// A private world for one escalation test: its own market (so its dispatchers only see its own conversations and
/// agents), its own input queues, in-process escalation consumers and dispatchers it can start and stop, agents it
/// enrols and drives through the broker, and the queries that check the outcome.
final class EscalationWorld: Sendable {
    let id: String
    let market: String
    let inquiriesQueue: String
    let agentEventsQueue: String
    let settings: EscalationSettings
    /// The escalation consumers' and dispatcher's metrics (one instance, as EscalationWorker.services makes it).
    let metrics: EscalationMetrics
    let logger: Logger
    let amqp: AMQPConfiguration
    let postgres: PostgresConfiguration
    /// What the consumers and dispatchers log in as: the owner's `postgres`, or the escalation worker's own role.
    let workerPostgres: PostgresConfiguration
    let publisher: AMQPPublisher
    let database: PostgresConnection
    let topology: AMQPTopology

    static func make(
        _ label: String, offerTimeoutMilliseconds: Int = 20_000, heartbeatTimeoutMilliseconds: Int = 120_000,
        asWorkerRole: Bool = false, metrics: EscalationMetrics = EscalationMetrics(),
        configure: (inout EscalationSettings) -> Void = { _ in }
    ) async throws -> EscalationWorld {
        let logger = Logger(label: "test.escalation.\(label)")
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-escalation-\(label)")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL, applicationName: "test-escalation")
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        if asWorkerRole { try await WorkerRoles.ensureLogin("escalation", owner: database) }
        let workerPostgres = asWorkerRole ? WorkerRoles.configuration("escalation", base: postgres) : postgres
        let id = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        var settings = EscalationSettings()
        settings.markets = ["t_\(id)"]
        settings.defaultMarket = "t_\(id)"
        settings.queue = "test.esc.\(id).inquiries"
        settings.agentEventsQueue = "test.esc.\(id).agents"
        settings.offerTimeoutMilliseconds = offerTimeoutMilliseconds
        settings.heartbeatTimeoutMilliseconds = heartbeatTimeoutMilliseconds
        settings.dispatchInterval = .milliseconds(50)
        settings.surge = SurgePolicy(
            steps: [
                .init(ratioPercent: 200, multiplierBasisPoints: 12500),
                .init(ratioPercent: 400, multiplierBasisPoints: 15000),
            ],
            capBasisPoints: 15000
        )
        // The shipped rate cards, with this world's market priced like EU.
        let cards = try String(contentsOfFile: TestServices.repositoryFile("config/payouts.yaml"), encoding: .utf8)
        // The test publishes agent events as the agent app would: with its AMQP user as the validated user_id.
        settings.agentEventSource = AgentEventSource(allowedUsers: [amqp.username])
        settings.rateCards = try RateCardBook.parse(
            cards.replacingOccurrences(of: "\n      EU:\n", with: "\n      \(settings.defaultMarket.uppercased()):\n"))
        configure(&settings)
        var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(settings.queue)
        topology.queues += FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(settings.agentEventsQueue)
            .queues
            .filter { $0.name == settings.agentEventsQueue }
        topology.bindings.append(FleetTopology().retryReturn(settings.agentEventsQueue))
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        topology.exchanges.append(.init(name: FleetNames.workExchange, type: "direct"))
        try await publisher.declare(topology)
        return EscalationWorld(
            id: id, settings: settings, metrics: metrics, logger: logger, amqp: amqp, postgres: postgres,
            workerPostgres: workerPostgres, publisher: publisher, database: database, topology: topology
        )
    }

    private init(
        id: String, settings: EscalationSettings, metrics: EscalationMetrics, logger: Logger, amqp: AMQPConfiguration,
        postgres: PostgresConfiguration,
        workerPostgres: PostgresConfiguration, publisher: AMQPPublisher, database: PostgresConnection,
        topology: AMQPTopology
    ) {
        self.id = id
        self.market = settings.markets[0]
        self.inquiriesQueue = settings.queue
        self.agentEventsQueue = settings.agentEventsQueue
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.amqp = amqp
        self.postgres = postgres
        self.workerPostgres = workerPostgres
        self.publisher = publisher
        self.database = database
        self.topology = topology
    }

    // MARK: Services

    /// Starts both consumers in this process.
    func startConsumers() -> [Task<Void, any Error>] {
        var inquiries = WorkerSettings(
            name: "escalation-\(self.id)", queue: self.inquiriesQueue, topology: self.topology)
        inquiries.batchSize = 50
        inquiries.retryTiers = PassthroughFleet.retryTiers
        // It relays the offers and notices the dispatcher writes (as the escalation executable does).
        inquiries.sweptProducers = [inquiries.name, EscalationWorker.dispatcherName]
        var events = WorkerSettings(
            name: "escalation-agents-\(self.id)", queue: self.agentEventsQueue, topology: self.topology)
        events.batchSize = 50
        events.retryTiers = PassthroughFleet.retryTiers
        let first = WorkerService(
            settings: inquiries, handler: EscalationHandler(settings: self.settings, metrics: self.metrics),
            amqp: self.amqp, postgres: self.workerPostgres,
            health: WorkerHealth(), logger: self.logger
        )
        let second = WorkerService(
            settings: events, handler: AgentEventHandler(settings: self.settings, metrics: self.metrics),
            amqp: self.amqp, postgres: self.workerPostgres,
            health: WorkerHealth(), logger: self.logger
        )
        return [Task { try await first.run() }, Task { try await second.run() }]
    }

    /// Starts a dispatcher loop in this process (each has its own connection).
    func startDispatcher() -> Task<Void, any Error> {
        let service = DispatcherService(
            settings: self.settings, metrics: self.metrics, postgres: self.workerPostgres, logger: self.logger)
        return Task { try await service.run() }
    }

    // MARK: Agents

    /// Three agents whose ratings fix the order of offers: best, then good, then fair.
    func enrollRanked() async throws -> (best: String, good: String, fair: String) {
        (
            try await self.enrollAgent("best", ratingSum: 50, ratingCount: 10),
            try await self.enrollAgent("good", ratingSum: 45, ratingCount: 10),
            try await self.enrollAgent("fair", ratingSum: 40, ratingCount: 10)
        )
    }

    /// Creates a long-standing customer and enrols it as an agent; returns the agent id.
    @discardableResult
    func enrollAgent(
        _ name: String, languages: [String] = ["en"], skills: [String] = ["general", "payments", "vip"],
        capacity: Int = 1,
        ratingSum: Int = 0, ratingCount: Int = 0, assignments: Int = 20
    ) async throws -> String {
        let customer = "\(self.id)-\(name)"
        try await self.database.query(
            """
            INSERT INTO customers (customer_id, display_name, market, created_at) VALUES ($1, $2, $3, now() - interval '400 days')
            """,
            [customer, name, self.market]
        )
        let application = AgentAppliedV1(
            messageID: "\(customer).applied", customerID: customer, languages: languages, skills: skills,
            capacity: capacity,
            purchases: 10, overdueInstalments: 0, appliedAt: Timestamps.format(Date())
        )
        let rules = self.settings.eligibility
        let outcome = try await self.database.transaction {
            try AgentEnrollment.enroll(application, rules: rules, in: $0)
        }
        guard outcome.status == "active" else { throw TestFailure("agent \(name) not enrolled: \(outcome.reasons)") }
        try await self.database.query(
            "UPDATE agents SET rating_sum = $2, rating_count = $3, assignments_total = $4 WHERE agent_id = $1",
            [outcome.agentID, ratingSum, ratingCount, assignments]
        )
        return outcome.agentID
    }

    /// Publishes agent events to this world's agent events queue.
    func send(
        _ agentID: String, _ event: AgentEventV1.Event, offerID: String? = nil, reason: String? = nil,
        conversationID: String? = nil, text: String? = nil, outcome: String? = nil
    ) async throws {
        let message = AgentEventV1(
            messageID: "\(agentID).\(event.rawValue).\(UUID().uuidString)", agentID: agentID, event: event,
            sentAt: Timestamps.format(Date()), offerID: offerID, reason: reason, conversationID: conversationID,
            text: text,
            outcome: outcome
        )
        try await self.publishRaw(message.encodedBody(), id: message.messageID, queue: self.agentEventsQueue)
    }

    func sendFeedback(_ feedback: FeedbackV1) async throws {
        try await self.publishRaw(feedback.encodedBody(), id: feedback.messageID, queue: self.agentEventsQueue)
    }

    /// Sends `online` and waits until the database shows the agent online.
    func online(_ agents: [String]) async throws {
        for agent in agents { try await self.send(agent, .online) }
        try await self.waitUntil("agents online") {
            try await self.database.query(
                "SELECT count(*) FROM agents WHERE agent_id = ANY($1::text[]) AND presence = 'online'", [agents]
            )[0].decode(Int.self, named: "count") == agents.count
        }
    }

    // MARK: Inquiries

    /// Publishes a human-lane inquiry from a new customer of this market; returns the conversation (= escalation) id.
    /// `reasons` are the classifier's routing reasons (`vip`, `sensitive:report_fraud`, …); `sensitive` also makes it
    /// a sensitive-complexity case.
    @discardableResult
    func inquire(
        _ name: String, priority: Priority = .normal, vip: Bool = false, skills: [String] = ["general"],
        language: String = "en", conversationID: String? = nil, customer: String? = nil,
        intent: String? = "general_question",
        reasons: [String] = ["asked_for_human"], sensitive: Bool = false
    ) async throws -> String {
        let customer = customer ?? "\(self.id)-cus-\(name)"
        try await self.database.query(
            "INSERT INTO customers (customer_id, display_name, market, tier) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [customer, name, self.market, vip ? "vip" : "standard"]
        )
        let messageID = "\(self.id)-inq-\(name)"
        let inquiry = InquiryV1(
            messageID: messageID, conversationID: conversationID, customerID: customer, channel: "chat",
            language: language,
            text: "I need a person", sentAt: Timestamps.format(Date())
        )
        let routed = RoutedInquiryV1(
            messageID: "\(messageID).routed", inquiry: inquiry,
            decision: .init(
                route: vip ? .humanPriority : .human, priority: priority, intent: intent, confidence: 0.9,
                reasons: reasons,
                sensitive: sensitive, complexity: sensitive ? "sensitive" : "routine", skills: skills,
                language: language, vip: vip,
                assignedAgentID: nil
            )
        )
        try await self.publishRaw(routed.encodedBody(), id: routed.messageID, queue: self.inquiriesQueue)
        return inquiry.conversation
    }

    /// A customer's message in an existing conversation, as the classifier routes it to the human lane.
    func followUp(_ name: String, conversationID: String, customer: String, text: String, vip: Bool = false)
        async throws
    {
        let messageID = "\(self.id)-inq-\(name)"
        let inquiry = InquiryV1(
            messageID: messageID, conversationID: conversationID, customerID: customer, channel: "chat", language: "en",
            text: text, sentAt: Timestamps.format(Date())
        )
        let routed = RoutedInquiryV1(
            messageID: "\(messageID).routed", inquiry: inquiry,
            decision: .init(
                route: .human, priority: .normal, intent: nil, confidence: 0.9, reasons: ["human_lane"],
                sensitive: false,
                complexity: "routine", skills: [], language: "en", vip: vip, assignedAgentID: nil
            )
        )
        try await self.publishRaw(routed.encodedBody(), id: routed.messageID, queue: self.inquiriesQueue)
    }

    /// Enrols a staff agent (an employee: the fallback pool), online at once; returns the agent id.
    @discardableResult
    func enrollStaff(_ name: String, languages: [String] = ["en"], skills: [String] = ["general"], capacity: Int = 2)
        async throws -> String
    {
        let agentID = "staff-\(self.id)-\(name)"
        try await self.database.query(
            """
            INSERT INTO agents (agent_id, customer_id, kind, display_name, status, status_reason, market, languages, skills, capacity)
            VALUES ($1, NULL, 'staff', $2, 'active', 'staff', $3, $4::text[], $5::text[], $6)
            """,
            [agentID, name, self.market, languages, skills, capacity]
        )
        return agentID
    }

    /// A queue bound to outcome routing keys of this test (`reply.chat`, `offer.agent.<id>`, …).
    func tap(_ keys: [String], exchange: String = FleetNames.outcomesExchange) async throws -> OutcomeTap {
        let queue = "test.esc.\(self.id).tap.\(UInt32.random(in: 0..<UInt32.max))"
        try await self.publisher.declare(
            AMQPTopology(
                queues: [.init(name: queue, arguments: ["x-queue-type": .string("quorum")])],
                bindings: keys.map { .init(queue: queue, exchange: exchange, routingKey: $0) }
            )
        )
        let consumer = try await AMQPConsumer.connect(
            configuration: self.amqp, queue: queue, prefetch: 200, logger: self.logger)
        return OutcomeTap(queue: queue, consumer: consumer, publisher: self.publisher)
    }

    /// Publishes with the connection's AMQP user as `user_id` (as the agent app does), or without one (`asAgentApp: false`).
    func publishRaw(_ body: [UInt8], id: String, queue: String, asAgentApp: Bool = true) async throws {
        let outcome = try await self.publisher.publish([
            AMQPMessage(
                exchange: "", routingKey: queue, body: body,
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: id,
                    userId: asAgentApp ? self.amqp.username : nil
                )
            )
        ])
        guard outcome == [.confirmed] else { throw TestFailure("publish to \(queue) not confirmed: \(outcome)") }
    }

    // MARK: Observing

    struct Offer: Equatable {
        var offerID: String
        var agentID: String
        var state: String
        var surge: Int
    }

    /// Offers of an escalation in order.
    func offers(_ escalationID: String) async throws -> [Offer] {
        try await self.database.query(
            "SELECT offer_id, agent_id, state, surge_bp FROM offers WHERE escalation_id = $1 ORDER BY attempt",
            [escalationID]
        ).map {
            Offer(
                offerID: try $0.decode(String.self, named: "offer_id"),
                agentID: try $0.decode(String.self, named: "agent_id"),
                state: try $0.decode(String.self, named: "state"), surge: try $0.decode(Int.self, named: "surge_bp"))
        }
    }

    /// Waits until the escalation has a pending offer numbered `attempt`; returns it.
    func pendingOffer(_ escalationID: String, attempt: Int, timeout: Duration = .seconds(30)) async throws -> Offer {
        var found: Offer?
        try await self.waitUntil("offer \(attempt) of \(escalationID)", timeout: timeout) {
            let offers = try await self.offers(escalationID)
            found = offers.count >= attempt && offers[attempt - 1].state == "pending" ? offers[attempt - 1] : nil
            return found != nil
        }
        return found!
    }

    /// Brings a pending offer's deadline to now, as if its agent let the offer time out. The timer is the column
    /// `offers.expires_at`, so the dispatcher's next tick expires it through its ordinary path; tests use this instead
    /// of a short offer timeout, which a slow machine can overrun before the test's own decline or accept arrives.
    func letExpire(_ offerID: String) async throws {
        let rows = try await self.database.query(
            "UPDATE offers SET expires_at = now() WHERE offer_id = $1 AND state = 'pending' RETURNING offer_id",
            [offerID]
        )
        guard rows.count == 1 else { throw TestFailure("offer \(offerID) is no longer pending") }
    }

    func escalationState(_ escalationID: String) async throws -> String? {
        try await self.database.query("SELECT state FROM escalations WHERE escalation_id = $1", [escalationID])
            .first.map { try $0.decode(String.self, named: "state") }
    }

    func waitForState(_ escalationID: String, _ state: String, timeout: Duration = .seconds(30)) async throws {
        try await self.waitUntil("\(escalationID) \(state)", timeout: timeout) {
            try await self.escalationState(escalationID) == state
        }
    }

    /// The outbox row with this message id, decoded.
    func outboxBody(_ messageID: String) async throws -> [UInt8]? {
        try await self.database.query("SELECT body FROM outbox WHERE message_id = $1 LIMIT 1", [messageID])
            .first.map { Array(try $0.decode(String.self, named: "body").utf8) }
    }

    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws
    {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func tearDown(_ tasks: [Task<Void, any Error>]) async {
        for task in tasks { task.cancel() }
        for task in tasks { _ = try? await task.value }
        for queue in [self.inquiriesQueue, self.agentEventsQueue] { try? await self.publisher.deleteQueue(queue) }
        await self.publisher.close()
        await self.database.close()
    }
}

/// Messages the fleet published to some outcome keys, collected by a test (every delivery kept, in arrival order).
final class OutcomeTap: @unchecked Sendable {
    // @unchecked: used by one test task at a time (collect and assertions run sequentially).
    let queue: String
    let consumer: AMQPConsumer
    let publisher: AMQPPublisher
    private(set) var received:
        [(routingKey: String, schema: String, body: [UInt8], messageID: String, reason: String?)] = []

    init(queue: String, consumer: AMQPConsumer, publisher: AMQPPublisher) {
        self.queue = queue
        self.consumer = consumer
        self.publisher = publisher
    }

    /// Waits for a message of `type` satisfying `match`; returns it.
    func next<T: MessageContract>(
        _ type: T.Type, timeout: Duration = .seconds(30), where match: (T) -> Bool = { _ in true }
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var seen = 0
        while true {
            for entry in self.received[seen...] where entry.schema == T.schema.rawValue {
                if let value = try? ContractDecoder().decode(T.self, from: entry.body), match(value) { return value }
            }
            seen = self.received.count
            guard ContinuousClock.now < deadline else { throw TestFailure("no \(T.schema.rawValue) arrived in time") }
            try await self.poll()
        }
    }

    /// Collects what arrived within `duration`.
    func drain(for duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline { try await self.poll() }
    }

    /// Waits until messages with all these ids arrived; returns their `x-concierge-reason` headers by id.
    func reasons(_ ids: [String], timeout: Duration = .seconds(30)) async throws -> [String: String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            var found: [String: String] = [:]
            for entry in self.received where ids.contains(entry.messageID) {
                found[entry.messageID] = entry.reason ?? "?"
            }
            if found.count == ids.count || ContinuousClock.now >= deadline { return found }
            try await self.poll()
        }
    }

    func all<T: MessageContract>(_ type: T.Type) -> [T] {
        self.received.filter { $0.schema == T.schema.rawValue }.compactMap {
            try? ContractDecoder().decode(T.self, from: $0.body)
        }
    }

    private func poll() async throws {
        let deliveries = try await self.consumer.receive(max: 100, timeout: .milliseconds(100))
        for delivery in deliveries {
            let schema = (try? ContractDecoder().schema(of: delivery.body).rawValue) ?? "?"
            self.received.append(
                (
                    delivery.routingKey, schema, delivery.body, delivery.properties.messageId ?? "",
                    delivery.properties.headers["x-concierge-reason"]?.stringValue
                )
            )
        }
        if !deliveries.isEmpty { try await self.consumer.ack(deliveries) }
    }

    func close() async {
        await self.consumer.close()
        try? await self.publisher.deleteQueue(self.queue)
    }
}
