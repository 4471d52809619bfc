import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
public import ConciergeRuntime
import ConciergeSupport
import EscalationWorker
import Foundation
public import Logging

/// Simulated gig agents over the real broker, so demos and benchmarks
/// exercise real dispatch.
///
/// The agents are enrolled customers `sim_<market>_agent_NNNN` of `market`. They go online (and send heartbeats), take their
/// offers from a queue of their own market bound to each simulated agent's `offer.agent.<agent_id>` on the outcomes
/// exchange (so simulators of several markets can run side by side), accept (after a short think), decline or
/// ignore them with the given odds, reply, resolve after a random delay, and their customers rate them. Some go
/// offline for a while and come back (`churnPercent` per minute). Every event goes to the agents exchange as the
/// agent app would publish it.
///
/// With `inquiries` M it also publishes M human-lane inquiries (`routed_inquiry.v1` to `lane.human`, as the
/// classifier would) at `rate` per second, waits until they are all resolved, and prints time-to-assignment
/// percentiles and the other dispatch figures for that workload. Needs `concierge-escalation` running.
public struct AgentSimulation: Sendable {
    /// Number of agents.
    public var count: Int
    /// Human-lane inquiries to publish (0: agents only, until `duration` or the process is stopped).
    public var inquiries: Int
    /// Inquiries per second.
    public var rate: Double
    /// Market of the agents and the simulated customers.
    public var market: String
    /// Concurrent conversations per agent.
    public var capacity: Int
    /// Percent of offers accepted.
    public var acceptPercent: Int
    /// Percent of offers ignored (left to expire); the rest are declined.
    public var ignorePercent: Int
    /// Mean time from accept to resolve, milliseconds.
    public var resolveMs: Int
    /// Percent of agents going offline each minute (back 20 s later).
    public var churnPercent: Int
    /// Stop after this many seconds (0: when the inquiries are resolved).
    public var duration: Int
    /// Random seed.
    public var seed: UInt64

    public init(
        count: Int = 50, inquiries: Int = 0, rate: Double = 50, market: String = "EU", capacity: Int = 2,
        acceptPercent: Int = 85,
        ignorePercent: Int = 3, resolveMs: Int = 3000, churnPercent: Int = 5, duration: Int = 0, seed: UInt64 = 42
    ) {
        self.count = count
        self.inquiries = inquiries
        self.rate = rate
        self.market = market
        self.capacity = capacity
        self.acceptPercent = acceptPercent
        self.ignorePercent = ignorePercent
        self.resolveMs = resolveMs
        self.churnPercent = churnPercent
        self.duration = duration
        self.seed = seed
    }

    /// Inquiries due `elapsed` into the run at `rate` per second: one at once, then one every 1/rate s, at most `total`.
    static func due(after elapsed: Duration, rate: Double, total: Int) -> Int {
        min(
            total,
            Int(Double(elapsed.components.seconds) * rate + Double(elapsed.components.attoseconds) / 1e18 * rate) + 1)
    }

    /// Runs the simulation, printing progress and (with inquiries) the figures of the run.
    public func run(configuration: FleetConfiguration, logger: Logger) async throws {
        let settings = try EscalationSettings(configuration: configuration)
        let database = try await PostgresConnection.connect(
            configuration: try configuration.postgres(applicationName: "conciergectl-simulate"), logger: logger
        )
        let amqp = try configuration.amqp(connectionName: "conciergectl-simulate")
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        var random = SplitMix64(seed: self.seed)
        let run = String(UInt64.random(in: 0..<UInt64.max), radix: 36)

        // Agents.
        let agentCustomers = (1...self.count).map {
            "sim_\(self.market.lowercased())_agent_" + String(format: "%04d", $0)
        }
        try await database.query(
            """
            INSERT INTO customers (customer_id, display_name, market, created_at)
            SELECT c, 'Simulated agent', $2, now() - interval '400 days' FROM unnest($1::text[]) AS c
            ON CONFLICT (customer_id) DO NOTHING
            """,
            [agentCustomers, self.market]
        )
        let allSkills = [
            "general", "payments", "disputes", "fraud", "hardship", "complaints", "privacy", "bereavement",
        ]
        var agents: [String] = []
        for (index, customer) in agentCustomers.enumerated() {
            let application = AgentAppliedV1(
                messageID: "sim.\(run).\(customer)", customerID: customer,
                languages: self.market == "SE" ? ["sv", "en"] : index % 4 == 0 ? ["en", "de"] : ["en"],
                skills: allSkills + (index % 3 == 0 ? ["vip"] : []), capacity: self.capacity, purchases: 10,
                overdueInstalments: 0,
                appliedAt: Timestamps.format(Date())
            )
            let rules = settings.eligibility
            let outcome = try await database.transaction {
                try AgentEnrollment.enroll(application, rules: rules, in: $0)
            }
            agents.append(outcome.agentID)
        }
        try await database.query(
            "UPDATE agents SET status = 'active', status_reason = 'simulation' WHERE agent_id = ANY($1::text[])",
            [agents])

        // Offers for the simulated agents.
        // What the agent app would receive: offers and conversation messages on the agents' keys; and what the
        // simulated customers' channel (`sim_<market>`) receives.
        let offers = "concierge.sim-agents.\(self.market.lowercased())"
        let channel = "sim_\(self.market.lowercased())"
        let customerQueue = "concierge.sim-customers.\(self.market.lowercased())"
        var topology = configuration.topology.fleet()
        topology.queues.append(.init(name: offers, arguments: ["x-queue-type": .string("quorum")]))
        topology.queues.append(.init(name: customerQueue, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings += agents.map {
            .init(queue: offers, exchange: FleetNames.outcomesExchange, routingKey: OfferV1.routingKey(agentID: $0))
        }
        topology.bindings += agents.map {
            .init(
                queue: offers, exchange: FleetNames.outcomesExchange, routingKey: AssignmentV1.routingKey(agentID: $0))
        }
        topology.bindings.append(
            .init(queue: customerQueue, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)"))
        try await publisher.declare(topology)
        _ = try await publisher.purgeQueue(offers)
        _ = try await publisher.purgeQueue(customerQueue)
        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: offers, prefetch: 500, topology: .init(), logger: logger)
        let customerConsumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: customerQueue, prefetch: 500, topology: .init(), logger: logger
        )

        let simulator = AgentSimulator(publisher: publisher, userID: amqp.username)
        var online = Set<String>()
        for agent in agents {
            simulator.enqueue(agent, .online)
            online.insert(agent)
        }
        try await simulator.flush()
        print("simulate: \(agents.count) agents online in market \(self.market) (run \(run))")
        fflush(nil)

        // Workload.
        let customers = (1...max(1, min(self.inquiries, 2000))).map { String(format: "sim_cus_%04d", $0) }
        if self.inquiries > 0 {
            try await database.query(
                """
                INSERT INTO customers (customer_id, display_name, market, tier)
                SELECT c, 'Simulated customer', $2, CASE WHEN right(c, 2)::int % 25 = 0 THEN 'vip' ELSE 'standard' END
                FROM unnest($1::text[]) AS c ON CONFLICT (customer_id) DO NOTHING
                """,
                [customers, self.market]
            )
        }
        let vips = Set(
            try await database.query(
                "SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[]) AND tier = 'vip'", [customers]
            )
            .map { try $0.decode(String.self, named: "customer_id") }
        )

        let clock = ContinuousClock()
        let started = clock.now
        var published = 0
        var nextHeartbeat = clock.now
        var nextChurn = clock.now + .seconds(60)
        var nextProgress = clock.now + .seconds(5)
        var scheduled: [(at: ContinuousClock.Instant, action: AgentSimulator.Action)] = []
        var answered = 0
        var held: [String: (agent: String, customer: String)] = [:]  // conversation -> who holds it, whose it is
        var holding: [String: Int] = [:]  // agent -> conversations held
        var freedAt: [String: ContinuousClock.Instant] = [:]  // agent at capacity -> when it resolved one
        var agentSent: [String: ContinuousClock.Instant] = [:]  // agent message event id -> sent
        var customerSent: [String: ContinuousClock.Instant] = [:]  // follow-up inquiry id -> sent
        var repliedOnce = Set<String>()
        var followUps = 0
        var figures = DeliveryFigures()
        while true {
            let now = clock.now
            if self.duration > 0 && now - started > .seconds(self.duration) { break }
            // Publish due inquiries.
            let due = Self.due(after: now - started, rate: self.rate, total: self.inquiries)
            if published < due {
                var messages: [AMQPMessage] = []
                while published < due {
                    published += 1
                    let customer = customers[random.below(customers.count)]
                    let roll = random.below(100)
                    let priority: Priority = roll < 5 ? .urgent : roll < 20 ? .high : .normal
                    let language = random.below(100) < 15 ? "de" : "en"
                    let id = "sim-\(run)-\(published)"
                    let inquiry = InquiryV1(
                        messageID: id, customerID: customer, channel: channel, language: language,
                        text: "simulated inquiry",
                        sentAt: Timestamps.format(Date())
                    )
                    let skills = [["general"], ["payments"], ["disputes"], ["hardship"], ["fraud"]][random.below(5)]
                    let routed = RoutedInquiryV1(
                        messageID: "\(id).routed", inquiry: inquiry,
                        decision: .init(
                            route: vips.contains(customer) ? .humanPriority : .human, priority: priority, intent: nil,
                            confidence: 0.5,
                            reasons: ["simulation"], sensitive: false,
                            complexity: priority == .normal ? "routine" : "complex",
                            skills: skills, language: language, vip: vips.contains(customer), assignedAgentID: nil
                        )
                    )
                    messages.append(
                        AMQPMessage(
                            exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey,
                            body: routed.encodedBody(),
                            properties: AMQPProperties(
                                contentType: "application/json", persistent: true, messageId: routed.messageID,
                                type: "routed_inquiry.v1")
                        )
                    )
                }
                try await simulator.publishConfirmed(messages)
            }
            // Presence.
            if now >= nextHeartbeat {
                for agent in online { simulator.enqueue(agent, .heartbeat) }
                nextHeartbeat = now + .seconds(max(1, settings.heartbeatTimeoutMilliseconds / 3000))
            }
            if now >= nextChurn {
                for agent in agents where online.contains(agent) && random.below(100) < self.churnPercent {
                    online.remove(agent)
                    simulator.enqueue(agent, .offline)
                    scheduled.append((now + .seconds(20), .online(agent)))
                }
                nextChurn = now + .seconds(60)
            }
            // What the agents receive: offers, the context of an accepted one, customers' messages, notices.
            for delivery in try await consumer.receive(max: 200, timeout: .milliseconds(20)) {
                try await consumer.ack([delivery])
                let received = clock.now
                switch try? ContractDecoder().schema(of: delivery.body) {
                case .offerV1:
                    guard let offer = try? ContractDecoder().decode(OfferV1.self, from: delivery.body),
                        online.contains(offer.agentID)
                    else { continue }
                    answered += 1
                    if let freed = freedAt.removeValue(forKey: offer.agentID) {
                        figures.freeToOffer.append(received - freed)
                    }
                    let roll = random.below(100)
                    let think = Duration.milliseconds(200 + random.below(1300))
                    if roll < self.acceptPercent {
                        scheduled.append((now + think, .accept(offer)))
                    } else if roll < self.acceptPercent + self.ignorePercent {
                        continue
                    } else {
                        scheduled.append((now + think, .decline(offer)))
                    }
                case .assignmentV1:
                    guard let context = try? ContractDecoder().decode(AssignmentV1.self, from: delivery.body) else {
                        continue
                    }
                    let customer = context.transcript.first { $0.author == .customer }?.authorID ?? ""
                    held[context.conversationID] = (context.agentID, customer)
                    holding[context.agentID, default: 0] += 1
                    scheduled.append(
                        (
                            received + .milliseconds(500),
                            .reply(agent: context.agentID, conversation: context.conversationID)
                        ))
                    let resolveAfter = self.resolveMs / 2 + random.below(max(1, self.resolveMs))
                    scheduled.append(
                        (
                            received + .milliseconds(resolveAfter),
                            .resolve(agent: context.agentID, conversation: context.conversationID)
                        ))
                case .customerMessageV1:
                    guard let message = try? ContractDecoder().decode(CustomerMessageV1.self, from: delivery.body)
                    else { continue }
                    if let sent = customerSent.removeValue(forKey: message.inquiryID) {
                        figures.customerToAgent.append(received - sent)
                    }
                    scheduled.append(
                        (
                            received + .milliseconds(300),
                            .reply(agent: message.agentID, conversation: message.conversationID)
                        ))
                default:
                    continue  // notices (an offer taken by another agent, a nudge): nothing to do for a simulated agent
                }
            }
            // What the customers receive.
            for delivery in try await customerConsumer.receive(max: 200, timeout: .milliseconds(5)) {
                try await customerConsumer.ack([delivery])
                guard let update = try? ContractDecoder().decode(ConversationUpdateV1.self, from: delivery.body) else {
                    continue
                }
                let received = clock.now
                switch update.kind {
                case .agentMessage:
                    let eventID = String(update.messageID.dropLast(".customer".count))
                    if let sent = agentSent.removeValue(forKey: eventID) {
                        figures.agentToCustomer.append(received - sent)
                    }
                    // Half of the customers write back once.
                    if !repliedOnce.contains(update.conversationID), random.below(100) < 50 {
                        repliedOnce.insert(update.conversationID)
                        scheduled.append(
                            (
                                received + .milliseconds(800),
                                .customerMessage(conversation: update.conversationID, customer: update.customerID)
                            ))
                    }
                case .waiting: figures.waitingNotices += 1
                default: break
                }
            }
            // Due actions.
            scheduled.sort { $0.at < $1.at }
            while let first = scheduled.first, first.at <= clock.now {
                scheduled.removeFirst()
                switch first.action {
                case .online(let agent):
                    online.insert(agent)
                    simulator.enqueue(agent, .online)
                case .accept(let offer):
                    // went offline meanwhile: the offer was withdrawn
                    guard online.contains(offer.agentID) else { continue }
                    simulator.enqueue(offer.agentID, .accept, offerID: offer.offerID)
                case .decline(let offer):
                    simulator.enqueue(
                        offer.agentID, .decline, offerID: offer.offerID,
                        reason: ["busy", "skills", "other"][random.below(3)])
                case .reply(let agent, let conversation):
                    guard held[conversation]?.agent == agent else { continue }
                    let id = simulator.enqueue(
                        agent, .message, conversationID: conversation, text: "Happy to help with that.")
                    agentSent[id] = clock.now
                case .resolve(let agent, let conversation):
                    guard let holder = held[conversation], holder.agent == agent else { continue }
                    held[conversation] = nil
                    if holding[agent, default: 0] >= self.capacity { freedAt[agent] = clock.now }
                    holding[agent, default: 1] -= 1
                    simulator.enqueue(
                        agent, .resolve, conversationID: conversation,
                        outcome: random.below(100) < 92 ? "resolved" : "unresolved")
                    scheduled.append(
                        (
                            clock.now + .milliseconds(300),
                            .feedback(agent: agent, conversation: conversation, customer: holder.customer)
                        ))
                case .feedback(let agent, let conversation, let customer):
                    let csat = [5, 5, 5, 4, 4, 4, 3, 2, 5, 1][random.below(10)]
                    simulator.enqueueFeedback(
                        agentID: agent, conversationID: conversation, customerID: customer, csat: csat)
                case .customerMessage(let conversation, let customer):
                    guard held[conversation] != nil else { continue }
                    followUps += 1
                    let id = "sim-\(run)-f\(followUps)"
                    let inquiry = InquiryV1(
                        messageID: id, conversationID: conversation, customerID: customer, channel: channel,
                        language: "en",
                        text: "Thanks, one more question.", sentAt: Timestamps.format(Date())
                    )
                    let routed = RoutedInquiryV1(
                        messageID: "\(id).routed", inquiry: inquiry,
                        decision: .init(
                            route: .human, priority: .normal, intent: nil, confidence: 0.5, reasons: ["human_lane"],
                            sensitive: false,
                            complexity: "routine", skills: [], language: "en", vip: false, assignedAgentID: nil
                        )
                    )
                    customerSent[id] = clock.now
                    try await simulator.publishConfirmed([
                        AMQPMessage(
                            exchange: FleetNames.workExchange, routingKey: FleetNames.humanLaneKey,
                            body: routed.encodedBody(),
                            properties: AMQPProperties(
                                contentType: "application/json", persistent: true, messageId: routed.messageID,
                                type: "routed_inquiry.v1")
                        )
                    ])
                }
            }
            try await simulator.flush()
            if now >= nextProgress {
                nextProgress = now + .seconds(5)
                if published < self.inquiries || held.count > 0 {
                    figures.load.append(Double(held.count) / Double(max(1, online.count * self.capacity)))
                }
                let done = try await SimulationReport.resolvedCount(run: run, on: database)
                print(
                    "simulate: \(Int((now - started).components.seconds)) s, published \(published), offers answered \(answered), resolved \(done)"
                )
                // progress lines appear as they are printed, also into a log file (Swift 6 refuses `stdout`)
                fflush(nil)
                if self.inquiries > 0 && published >= self.inquiries && done >= self.inquiries && self.duration == 0 {
                    break
                }
            }
        }
        for agent in online { simulator.enqueue(agent, .offline) }
        try await simulator.flush()
        await consumer.close()
        await customerConsumer.close()
        if self.inquiries > 0 {
            try await SimulationReport.load(run: run, on: database).lines().forEach { print($0) }
            figures.lines().forEach { print($0) }
            print("  agent events published again after a missing confirm: \(simulator.unconfirmed)")
        }
        await publisher.close()
        await database.close()
    }
}

extension SplitMix64 {
    /// 0 ..< bound.
    mutating func below(_ bound: Int) -> Int { Int(self.next() % UInt64(max(1, bound))) }
}
