import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import ConciergeYAML
import Configuration
import EscalationWorker
import Foundation
import Logging
import PayoutWorker
import ServiceLifecycle
import Testing

/// The escalation worker built from its recipe (`WorkerApp.build(EscalationWorker.self, …)`), as its executable runs it:
/// its two consumers and the dispatcher in one group with the health server, from configuration alone.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct EscalationRecipeTests {
    @Test func settingsReadTheirKeys() throws {
        let values: [AbsoluteConfigKey: ConfigValue] = [
            "escalation.queue": "q.in", "escalation.agent_events_queue": "q.agents",
            "escalation.offer_timeout_ms": 7000,
            "escalation.producers": .init(.stringArray(["upstream"]), isSecret: false),
        ]
        let settings = try EscalationWorker.settings(
            from: FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values))))
        #expect(settings.queue == "q.in")
        #expect(settings.agentEventsQueue == "q.agents")
        #expect(settings.offerTimeoutMilliseconds == 7000)
        #expect(settings.producers == ["upstream"])
        let defaults = try EscalationWorker.settings(
            from: FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: [:]))))
        #expect(defaults.producers == ["concierge-classifier", "concierge-responder"])
        #expect(defaults.queue == FleetNames.escalationQueue)
        #expect(defaults.rateCards != nil)
        // Offers quote pay from the rate cards: a file that cannot be read stops the worker instead of quoting none.
        let unreadable = #expect(throws: ConfigurationFileError.self) {
            try EscalationWorker.settings(
                from: FleetConfiguration(
                    reader: ConfigReader(
                        provider: InMemoryProvider(values: ["payout.rate_cards": "/nonexistent/payouts.yaml"])))
            )
        }
        #expect(unreadable?.code == .unreadable && unreadable?.configuration == "rate cards")
        #expect(unreadable?.file == "payouts.yaml")
    }

    @Test func theWholeWorkerIsBuiltFromItsRecipeAndTakesAnInquiry() async throws {
        // A database of its own: the recipe's outbox relay publishes every escalation process's dispatcher rows
        // (producer `escalation-dispatcher`), and on the shared database it took other suites' offers into this
        // test's virtual host (EscalationDispatchTests and HumanConversationTests then never saw them).
        try await ScratchDatabase.with("recipe") { database, postgresURL in
            try await Self.buildRunAndInquire(database: database, postgresURL: postgresURL)
        }
    }

    static func buildRunAndInquire(database: PostgresConnection, postgresURL: String) async throws {
        // A virtual host of its own (scripts/services): the recipe consumes the fleet's fixed queue names.
        let amqpURL = TestServices.amqpURL(vhost: "concierge-test-recipes")
        let port = HTTPProbe.freePort()
        let id = "recipe-" + String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let values: [AbsoluteConfigKey: ConfigValue] = [
            "amqp.url": .init(.string(amqpURL), isSecret: true),
            "postgres.url": .init(.string(postgresURL), isSecret: true),
            "http.host": "127.0.0.1",
            "http.port": .init(.int(port), isSecret: false),
            // The test publishes as `concierge`, not as the classifier's user.
            "escalation.producers": .init(.stringArray([]), isSecret: false),
        ]
        let configuration = FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
        let logger = Logger(label: "test.escalation.recipe")
        try await Migrator.fleet().migrate(database, logger: logger)
        let built = try await WorkerApp.build(EscalationWorker.self, configuration: configuration, logger: logger)
        let running = Task { try await built.group.run() }

        #expect(try await HTTPProbe.becameReady(port: port), "/readyz never answered 200")

        let inquiry = InquiryV1(
            messageID: id, conversationID: nil, customerID: "\(id)-customer", channel: "chat", language: "en",
            text: "I need a person",
            sentAt: Timestamps.format(Date())
        )
        let routed = RoutedInquiryV1(
            messageID: "\(id).routed", inquiry: inquiry,
            decision: .init(
                route: .human, priority: .normal, intent: "general_question", confidence: 0.9,
                reasons: ["asked_for_human"],
                sensitive: false, complexity: "routine", skills: ["general"], language: "en", vip: false,
                assignedAgentID: nil
            )
        )
        let publisher = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: amqpURL), logger: logger)
        let outcome = try await publisher.publish([
            AMQPMessage(
                exchange: "", routingKey: FleetNames.escalationQueue, body: routed.encodedBody(),
                properties: AMQPProperties(
                    contentType: "application/json", persistent: true, messageId: routed.messageID)
            )
        ])
        #expect(outcome == [.confirmed])
        await publisher.close()
        var waiting = false
        for _ in 0..<300 where !waiting {
            waiting =
                try await database.query(
                    "SELECT count(*) AS escalations FROM escalations WHERE escalation_id = $1", [inquiry.conversation]
                ).single().decode(Int.self, named: "escalations") == 1
            if !waiting { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(waiting, "the inquiry never became an escalation")

        await built.group.triggerGracefulShutdown()
        try await running.value
        #expect(await HTTPProbe.get(port: port, path: "/healthz") == nil)
    }
}
