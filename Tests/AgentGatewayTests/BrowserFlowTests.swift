import AgentGateway
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Synchronization
import Testing

/// The agent's whole path in a real browser (headless Chromium and its WebDriver from Debian, Selenium from PyPI):
/// `Tests/browser/agent_app.py` is the agent; this suite is the fleet (gateway, the real escalation worker and the
/// real payout handler, in process, in a market of its own) and the customer (inquiries in, the outcome routing key
/// `reply.<channel>` watched). Runs when `CONCIERGE_TEST_BROWSER=require` (the browser pass of `scripts/test`, which
/// installs the browser first); a missing browser then fails the test.
@Suite(.serialized, .enabled(if: TestServices.environment["CONCIERGE_TEST_BROWSER"] == "require", "browser pass only"))
struct BrowserFlowTests {
    static var repositoryRoot: URL {
        var root = URL(fileURLWithPath: #filePath)
        while root.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        return root
    }

    @Test func agentSignsInTakesAnOfferAnswersTheCustomerResolvesAndSeesTheEarning() async throws {
        let started = ContinuousClock.now
        let world = try await GatewayWorld.make("browser")
        var tasks = world.startEscalation()
        let (gateway, gatewayTask, port) = try await world.startGateway("a", heartbeat: .seconds(2))
        defer { _ = gateway }
        tasks.append(gatewayTask)
        let (agent, password) = try await world.agent("sam", displayName: "Sam Agent")
        let channel = "bt\(world.id.prefix(12))"
        let marker = "M\(world.id)"
        let answer = "Hi, I can see it and I have started the refund."

        // The payout handler on a queue of its own, with a rate card for this world's market.
        let market = world.market.uppercased()
        let book = try RateCardBook.parse(
            """
            versions:
              - version: "bt-\(world.id)"
                effective_from: "2020-01-01T00:00:00Z"
                markets:
                  \(market): { currency: EUR, base_fee: { routine: 250, complex: 500, sensitive: 800 }, vip_premium: 150, csat_bonus: 100, csat_min_score: 5, clawback_bp: 10000, reopen_window_hours: 72 }
            """
        )
        try await world.database.transaction { try PayoutLedger(cadence: .monthly).verify(book, in: $0) }
        let payoutQueue = "test.gw.\(world.id).payout"
        let payoutTap = "test.gw.\(world.id).payout-tap"
        let customerTap = "test.gw.\(world.id).customer"
        var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(payoutQueue)
        topology.queues += [.init(name: payoutTap, durable: false), .init(name: customerTap, durable: false)]
        topology.bindings += [
            .init(queue: payoutTap, exchange: FleetNames.workExchange, routingKey: "payout.event"),
            .init(queue: customerTap, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)"),
        ]
        try await world.publisher.declare(topology)
        var payoutSettings = WorkerSettings(name: "payout-\(world.id)", queue: payoutQueue, topology: topology)
        payoutSettings.retryTiers = PassthroughFleet.retryTiers
        // The escalation worker of this world runs as the test's AMQP user, and the test relays its events as that user.
        payoutSettings.acceptedProducers = [world.amqp.username]
        let payout = WorkerService(
            settings: payoutSettings, handler: PayoutHandler(book: book, cadence: .monthly),
            amqp: world.amqp, postgres: world.postgres,
            health: WorkerHealth(), logger: world.logger
        )
        tasks.append(Task { try await payout.run() })

        // The agent, in the browser.
        let screenshots = Self.repositoryRoot.appendingPathComponent(".run/screenshots")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            TestServices.environment["CONCIERGE_BROWSER_PYTHON"] ?? "python3",
            Self.repositoryRoot.appendingPathComponent("Tests/browser/agent_app.py").path,
        ]
        var environment = TestServices.environment
        environment["GATEWAY_URL"] = "http://127.0.0.1:\(port)"
        environment["AGENT_ID"] = agent
        environment["AGENT_PASSWORD"] = password
        environment["CUSTOMER_MARKER"] = marker
        environment["ANSWER_TEXT"] = answer
        environment["SCREENSHOTS"] = screenshots.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()

        // The customer and the fleet's side, while the browser works.
        let customerID = "\(world.id)-cus-alex"
        try await world.waitUntil("the agent goes online in the browser", timeout: .seconds(60)) {
            try await world.database.query("SELECT presence FROM agents WHERE agent_id = $1", [agent])[0].decode(
                String.self, named: "presence") == "online"
        }
        let conversation = try await world.inquire(
            "alex", text: "I was charged twice for my order", customerName: "Alex Doe", channel: channel)
        try await world.waitUntil("the agent accepts in the browser", timeout: .seconds(90)) {
            try await world.escalationState(conversation) == "assigned"
        }
        try await world.inquire(
            "alex",
            text:
                "Here is the order number: 4471 <script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> \(marker)",
            channel: channel, conversationID: conversation, customer: customerID, suffix: "-2"
        )
        // Relay this conversation's payout events (only) to the private payout queue; collect the customer's updates.
        let tap = try await AMQPConsumer.connect(
            configuration: world.amqp, queue: payoutTap, prefetch: 100, logger: world.logger)
        let customer = try await AMQPConsumer.connect(
            configuration: world.amqp, queue: customerTap, prefetch: 100, logger: world.logger)
        var updates: [ConversationUpdateV1] = []
        while process.isRunning, ContinuousClock.now - started < .seconds(300) {
            for delivery in try await tap.receive(max: 100, timeout: .milliseconds(100)) {
                if String(decoding: delivery.body, as: UTF8.self).contains("\"\(conversation)\"") {
                    try await world.publishRaw(
                        delivery.body, id: delivery.properties.messageId ?? "\(conversation).resolved", exchange: "",
                        key: payoutQueue)
                }
                try await tap.ack([delivery])
            }
            let deliveries = try await customer.receive(max: 100, timeout: .milliseconds(100))
            for delivery in deliveries {
                if let update = try? ContractDecoder().decode(ConversationUpdateV1.self, from: delivery.body) {
                    updates.append(update)
                }
            }
            try await customer.ack(deliveries)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        print(log)
        print("browser test took \(ContinuousClock.now - started)")
        #expect(process.terminationStatus == 0, "the browser steps failed (their log is printed above)")
        // The answer reached the customer on the outcome routing key (conversation_update.v1 from the escalation
        // worker's side of the conversation contracts).
        #expect(
            updates.contains { $0.kind == .agentMessage && $0.text == answer && $0.conversationID == conversation },
            "no conversation_update.v1 agent_message on reply.\(channel); got \(updates.map(\.kind))"
        )
        let earning = try await world.database.query(
            "SELECT count(*) FROM payouts.earnings WHERE agent_id = $1 AND conversation_id = $2", [agent, conversation]
        )[0].decode(Int.self, named: "count")
        #expect(earning == 1)
        for name in ["agent-app-offer.png", "agent-app-conversation.png", "agent-app-earnings.png"] {
            #expect(
                FileManager.default.fileExists(atPath: screenshots.appendingPathComponent(name).path), "\(name) missing"
            )
        }
        await tap.close()
        await customer.close()
        for queue in [payoutQueue, payoutTap, customerTap] { try? await world.publisher.deleteQueue(queue) }
        await world.tearDown(tasks)
    }
}
