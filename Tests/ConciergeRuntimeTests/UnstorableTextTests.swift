import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import ConciergeRuntime

/// Text PostgreSQL cannot store is bad input: dead-lettered at once with a reason, never retried, and the rest of its
/// batch is applied.
@Suite struct StorableTextTests {
    @Test(arguments: [
        (#"{"a":"x\u0000y"}"#, true),
        (#"{"a":"\u0000"}"#, true),
        (#"{"a":"\\u0000"}"#, false),  // an escaped backslash, then the letters u0000
        (#"{"a":"\\\u0000"}"#, true),  // an escaped backslash, then a NUL
        (#"{"a":"\u00001"}"#, true),
        (#"{"a":"\u0001"}"#, false),
        (#"{"a":"\u000"}"#, false),
        (#"{"a":"plain"}"#, false),
        (#"\"#, false),
    ])
    func findsNULEscapes(json: String, expected: Bool) {
        #expect(StorableText.containsNUL(json: Array(json.utf8)) == expected)
    }
}

@Suite(.serialized, .enabled(if: TestServices.enabled))
struct UnstorableTextTests {
    @Test func nulTextIsDeadLetteredAtOnceWhileItsBatchIsApplied() async throws {
        let fleet = try await PassthroughFleet.make("nul")
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        // One publish: the NUL message lands in the same batch as good ones.
        let confirmed = try await fleet.publish(0..<21, payload: { $0 == 10 ? "before\u{0}after" : "ok" })
        #expect(confirmed.count == 21)
        let bad = fleet.messageID(10)
        let dead = try await fleet.drainDeadLetters(
            until: { $0.contains { $0.properties.messageId == bad } }, timeout: .seconds(30))
        let letter = try #require(dead.first { $0.properties.messageId == bad })
        #expect(letter.properties.headers[FleetNames.Headers.reason] == .string("unstorable_text"))
        #expect(letter.properties.headers[FleetNames.Headers.retries] == nil, "it went through a retry tier first")
        try await fleet.waitForApplied(atLeast: 20)
        let counts = try await fleet.appliedCounts()
        #expect(counts.count == 20 && counts[bad] == nil && counts.values.allSatisfy { $0 == 1 })
        await fleet.tearDown()
    }

    /// Stores its text in a `varchar(8)` column: longer text makes the database refuse the batch (SQLSTATE 22001).
    struct NarrowColumnHandler: WorkerHandler {
        let table: String

        func decode(_ message: InboundMessage) throws(ContractError) -> String {
            String(decoding: message.body, as: UTF8.self)
        }

        func apply(_ batch: [Accepted<String>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
            try transaction.execute(
                "INSERT INTO \(self.table) (message_id, value) SELECT unnest($1::text[]), unnest($2::text[])",
                [batch.map(\.message.messageID), batch.map(\.input)]
            )
            return []
        }
    }

    @Test func dataTheDatabaseRefusesIsDeadLetteredAtOnce() async throws {
        let logger = Logger(label: "test.unstorable") { _ in SwiftLogNoOpLogHandler() }
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-unstorable")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let id = TestServices.uniqueName("unstorable")
        let table = "narrow_" + id.replacingOccurrences(of: ".", with: "_")
        try await database.executeScript(
            "CREATE TABLE \(table) (message_id text PRIMARY KEY, value varchar(8) NOT NULL)")
        let input = "test.\(id).input"
        let dead = "test.\(id).dead"
        var topology = FleetTopology(retryTiers: PassthroughFleet.retryTiers).workerQueue(input)
        topology.queues.append(.init(name: dead, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings.append(.init(queue: dead, exchange: FleetNames.deadLetterExchange, routingKey: ""))
        try await publisher.declare(topology)

        var settings = WorkerSettings(name: "unstorable-\(id)", queue: input, topology: topology)
        settings.retryTiers = PassthroughFleet.retryTiers
        settings.batchWait = .seconds(1)
        let worker = WorkerService(
            settings: settings, handler: NarrowColumnHandler(table: table), amqp: amqp, postgres: postgres,
            health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }

        let values = ["short", "far too long for eight", "tiny", "also ok"]
        let messages = values.enumerated().map { index, value in
            AMQPMessage(
                exchange: "", routingKey: input, body: Array(value.utf8),
                properties: AMQPProperties(contentType: "text/plain", persistent: true, messageId: "\(id)-\(index)")
            )
        }
        #expect(try await publisher.publish(messages).allSatisfy { $0 == .confirmed })

        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: dead, prefetch: 100, topology: .init(), logger: logger)
        var letters: [AMQPDelivery] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !letters.contains(where: { $0.properties.messageId == "\(id)-1" }) && ContinuousClock.now < deadline {
            let received = try await consumer.receive(max: 100, timeout: .milliseconds(300))
            try await consumer.ack(received)
            letters += received
        }
        await consumer.close()
        let letter = try #require(letters.first { $0.properties.messageId == "\(id)-1" })
        #expect(letter.properties.headers[FleetNames.Headers.reason] == .string("unstorable_data"))
        #expect(letter.properties.headers[FleetNames.Headers.retries] == nil, "it went through a retry tier first")
        if case .string(let detail) = letter.properties.headers[FleetNames.Headers.detail] {
            #expect(detail.contains("22001"))
        }

        var stored: [String] = []
        while ContinuousClock.now < deadline {
            stored = try await database.query("SELECT message_id FROM \(table) ORDER BY message_id").map {
                try $0.decode(String.self, named: "message_id")
            }
            if stored.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(stored == ["\(id)-0", "\(id)-2", "\(id)-3"])

        running.cancel()
        try? await running.value
        try await database.executeScript("DROP TABLE \(table)")
        for queue in [input, dead] { try? await publisher.deleteQueue(queue) }
        await publisher.close()
        await database.close()
    }
}
