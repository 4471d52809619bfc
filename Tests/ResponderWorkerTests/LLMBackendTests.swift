import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import InMemoryLogging
import Logging
import ResponderWorker
import Testing

/// The LLM backend against a real local HTTP server: grounded phrasings reach the customer, invented values and
/// failures fall back to the built-in answer, and the API key goes only into the Authorization header.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct LLMBackendTests {
    static let key = "sk-test-\(UUID().uuidString)"

    /// A customer with one IKEA purchase of 600.00 EUR on 10 October 2026 (pay in 3): the built-in answer to "when is
    /// my next instalment?" is `builtIn(reference)`.
    struct Scenario {
        let database: PostgresConnection
        let routed: RoutedInquiryV1
        let reference: String

        var builtIn: String {
            "Your next instalment of 200.00 EUR for IKEA (order \(self.reference)) is due on 10 November 2026."
        }

        static func make() async throws -> Scenario {
            let logger = Logger(label: "test.llm") { _ in SwiftLogNoOpLogHandler() }
            let database = try await PostgresConnection.connect(
                configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
            try await Migrator.fleet().migrate(database, logger: logger)
            let id = TestServices.uniqueName("llm").replacingOccurrences(of: ".", with: "-")
            let reference = "IK-\(Int.random(in: 100_000...999_999))"
            let purchase = ResponderFixtures.purchase(
                id: "\(id)-p1", customer: "\(id)-c", merchant: "IKEA", reference: reference, amount: 60000,
                on: "2026-10-10")
            _ = try await database.transaction { try FactsWriter.insert([purchase], in: $0) }
            let routed = ResponderFixtures.routed(
                id: "\(id)-q", customer: "\(id)-c", text: "when is my next instalment?", intent: "next_instalment")
            return Scenario(database: database, routed: routed, reference: reference)
        }
    }

    /// Runs prepare (the LLM call) and apply (in a transaction) as the runtime does, within a bound of its own, and
    /// returns the reply and the backend stored in `ai_replies`.
    func answer(
        _ scenario: Scenario, server: StubChatServer, timeout: Duration = .seconds(2), maxAttempts: Int = 3
    ) async throws -> (reply: ReplyV1, stored: String, logs: InMemoryLogHandler) {
        let logs = InMemoryLogHandler()
        let logger = logs.logger()
        let configuration = LLMConfiguration(
            url: server.baseURL, model: "stub-model", apiKey: Self.key, timeout: timeout, maxAttempts: maxAttempts,
            backoff: .milliseconds(10)
        )
        let handler = ResponderHandler(
            responder: ResponderFixtures.responder, llm: LLMPhraser(configuration: configuration, logger: logger))
        let message = InboundMessage(
            messageID: scenario.routed.messageID, routingKey: "lane.ai", body: scenario.routed.encodedBody())
        let batch = [Accepted(message: message, input: try handler.decode(message))]
        let prepared = try await Self.bounded(.seconds(30)) {
            await handler.prepare(batch, database: scenario.database)
        }
        let outgoing = try await scenario.database.transaction { try handler.apply(prepared, in: $0) }
        let body = try #require(outgoing.first { $0.schema == ReplyV1.schema.rawValue }).body
        let reply = try ContractDecoder().decode(ReplyV1.self, from: body)
        let stored = try #require(
            try await scenario.database.query(
                "SELECT backend FROM ai_replies WHERE inquiry_id = $1", [scenario.routed.inquiry.messageID]
            ).first
        ).decode(String.self, named: "backend")
        #expect(!Self.logsMention(Self.key, logs), "the API key appeared in the logs")
        return (reply, stored, logs)
    }

    static func logsMention(_ secret: String, _ logs: InMemoryLogHandler) -> Bool {
        logs.entries.contains { record in
            "\(record.message)".contains(secret) || record.metadata.values.contains { "\($0)".contains(secret) }
        }
    }

    /// Fails the test instead of hanging when `body` takes longer than `limit`.
    static func bounded<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let value = try await group.next()! else {
                Issue.record("did not finish within \(limit)")
                throw CancellationError()
            }
            return value
        }
    }

    @Test func groundedLLMAnswerReachesTheCustomerAndTheKeyIsABearerToken() async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let text = "Hi! Your next IKEA payment (order \(scenario.reference)) is 200,00 € and due on 10 Nov 2026."
        let server = try StubChatServer([.completion(text)])
        defer { server.stop() }

        let (reply, stored, _) = try await self.answer(scenario, server: server)
        #expect(reply.text == text)
        #expect(reply.backend == "llm")
        #expect(stored == "llm")

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.requestLine.hasPrefix("POST /v1/chat/completions "))
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        #expect(request.body.contains("stub-model") && request.body.contains("when is my next instalment?"))
        #expect(
            request.body.contains(scenario.builtIn.replacingOccurrences(of: "/", with: "\\/"))
                || request.body.contains(scenario.builtIn))
    }

    @Test(arguments: [
        "Your next instalment of 210.00 EUR for IKEA is due on 10 November 2026.",  // invented amount
        "Your next instalment of 200.00 EUR for IKEA is due on 12 November 2026.",  // invented date
        "Your next instalment of 200.00 EUR for order IK-999999 is due on 10 November 2026.",  // invented reference
        "Your next instalment of 200.00 EUR is due on 10 November 2026, plus a fee of €5.",  // invented fee
    ])
    func inventedValuesNeverReachTheCustomer(_ invented: String) async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let server = try StubChatServer([.completion(invented)])
        defer { server.stop() }

        let (reply, stored, logs) = try await self.answer(scenario, server: server)
        #expect(reply.text == scenario.builtIn)
        #expect(reply.backend == "builtin")
        #expect(stored == "builtin")
        #expect(logs.entries.contains { "\($0.message)".contains("not in the facts") })
        #expect(
            !logs.entries.contains {
                "\($0.message)".contains(invented) || $0.metadata.values.contains { "\($0)".contains(invented) }
            })
    }

    @Test func tooManyRequestsThenSuccessIsUsedAfterARetry() async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let text =
            "Your next instalment of 200.00 EUR for IKEA (order \(scenario.reference)) is due on 10 November 2026. Thanks!"
        let server = try StubChatServer([.status(429), .completion(text)])
        defer { server.stop() }

        let (reply, stored, _) = try await self.answer(scenario, server: server)
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        #expect(reply.text == text)
        #expect(stored == "llm")
    }

    @Test func serverErrorOnEveryAttemptFallsBackToTheBuiltInAnswer() async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let server = try StubChatServer([], then: .status(500))
        defer { server.stop() }

        let (reply, stored, logs) = try await self.answer(scenario, server: server, maxAttempts: 3)
        #expect(server.requests.count == 3)
        #expect(reply.text == scenario.builtIn)
        #expect(stored == "builtin")
        #expect(logs.entries.contains { "\($0.message)".contains("no answer") })
    }

    @Test func silentServerTimesOutAndFallsBackToTheBuiltInAnswer() async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let server = try StubChatServer([], then: .silence)
        defer { server.stop() }

        let (reply, stored, logs) = try await self.answer(
            scenario, server: server, timeout: .milliseconds(300), maxAttempts: 2)
        #expect(server.requests.count == 2)
        #expect(reply.text == scenario.builtIn)
        #expect(stored == "builtin")
        #expect(logs.entries.contains { $0.metadata["llm.error"].map { "\($0)".contains("timeout") } == true })
    }

    @Test func draftForAnOutcomeThatChangedIsNotUsed() async throws {
        let scenario = try await Self.Scenario.make()
        defer { Task { [database = scenario.database] in await database.close() } }
        let handler = ResponderHandler(responder: ResponderFixtures.responder)
        // A draft made against other facts (an older built-in reply).
        let stale = ResponderOutcome.Reply(
            intent: "next_instalment", kind: "answer",
            text: "Your next instalment of 150.00 EUR is due on 1 November 2026.", facts: [], articleID: nil)
        let message = InboundMessage(
            messageID: scenario.routed.messageID, routingKey: "lane.ai", body: scenario.routed.encodedBody())
        let input = ResponderInput(
            routed: scenario.routed, draft: LLMDraft(text: "Pay 150.00 EUR on 1 November 2026.", reference: stale))
        let outgoing = try await scenario.database.transaction {
            try handler.apply([Accepted(message: message, input: input)], in: $0)
        }
        let reply = try ContractDecoder().decode(ReplyV1.self, from: try #require(outgoing.first).body)
        #expect(reply.text == scenario.builtIn)
        #expect(reply.backend == "builtin")
    }

    /// Through the real runtime and broker: the worker's `prepare` calls the LLM, and an answer with an invented
    /// amount is replaced by the built-in one on the outcomes exchange.
    @Test func inventedAmountNeverReachesTheCustomerThroughTheWorker() async throws {
        let scenario = try await Self.Scenario.make()
        let logs = InMemoryLogHandler()
        let logger = logs.logger()
        let server = try StubChatServer([
            .completion("Good news: your next instalment is only 20.00 EUR, due on 10 November 2026.")
        ])
        defer { server.stop() }
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-llm")
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let id = scenario.routed.inquiry.messageID
        let channel = "t" + String(id.filter { $0.isLetter || $0.isNumber }.suffix(20))
        let input = "test.\(id).responder"
        let outcomes = "test.\(id).outcomes"
        var topology = FleetTopology().workerQueue(input)
        topology.exchanges += [.init(name: FleetNames.outcomesExchange, type: "topic")]
        topology.queues += [.init(name: outcomes, arguments: ["x-queue-type": .string("quorum")])]
        topology.bindings += [
            .init(queue: outcomes, exchange: FleetNames.outcomesExchange, routingKey: "reply.\(channel)")
        ]
        try await publisher.declare(topology)

        let configuration = LLMConfiguration(
            url: server.baseURL, model: "stub-model", apiKey: Self.key, timeout: .seconds(2), backoff: .milliseconds(10)
        )
        let handler = ResponderHandler(
            responder: ResponderFixtures.responder, llm: LLMPhraser(configuration: configuration, logger: logger))
        let worker = WorkerService(
            settings: WorkerSettings(name: "responder-\(id)", queue: input, topology: topology), handler: handler,
            amqp: amqp,
            postgres: try PostgresConfiguration(url: TestServices.postgresURL), health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }
        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: outcomes, prefetch: 10, logger: logger)

        var routed = scenario.routed
        routed.inquiry.channel = channel
        let message = AMQPMessage(
            exchange: "", routingKey: input, body: routed.encodedBody(),
            properties: AMQPProperties(
                contentType: "application/json", persistent: true, messageId: routed.messageID,
                type: "routed_inquiry.v1")
        )
        #expect(try await publisher.publish([message]) == [.confirmed])
        var replies: [ReplyV1] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while replies.isEmpty && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 10, timeout: .milliseconds(300))
            replies += try deliveries.map { try ContractDecoder().decode(ReplyV1.self, from: $0.body) }
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        let reply = try #require(replies.first)
        #expect(server.requests.count == 1)
        #expect(reply.text == scenario.builtIn)
        #expect(reply.backend == "builtin")
        #expect(!Self.logsMention(Self.key, logs))

        running.cancel()
        try? await running.value
        await consumer.close()
        for queue in [input, outcomes] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await scenario.database.close()
    }
}
