import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Synchronization
import Testing

/// `WorkerHandler.prepare` runs before the transaction, once per message, and `apply` sees what it returned, also on
/// the single-message fallback after a failed batch.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct PrepareHookTests {
    /// Prefixes every input in `prepare`; fails any batch of several messages that contains `fail`.
    final class EnrichingHandler: WorkerHandler {
        struct BatchFailure: Error {}

        let prepared = Mutex<[String]>([])
        let applied = Mutex<[[String]]>([])

        func decode(_ message: InboundMessage) throws(ContractError) -> String {
            String(decoding: message.body, as: UTF8.self)
        }

        func prepare(_ batch: [Accepted<String>], database: PostgresConnection) async -> [Accepted<String>] {
            self.prepared.withLock { $0 += batch.map(\.input) }
            return batch.map { Accepted(message: $0.message, input: "prepared:\($0.input)") }
        }

        func apply(_ batch: [Accepted<String>], in transaction: PostgresTransaction) throws -> [OutgoingMessage] {
            let inputs = batch.map(\.input)
            self.applied.withLock { $0.append(inputs) }
            if inputs.count > 1 && inputs.contains(where: { $0.hasSuffix(":fail") }) { throw BatchFailure() }
            return []
        }
    }

    @Test func preparedInputsReachApplyAndTheFallbackReusesThem() async throws {
        let logger = Logger(label: "test.prepare") { _ in SwiftLogNoOpLogHandler() }
        let amqp = try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-prepare")
        let postgres = try PostgresConfiguration(url: TestServices.postgresURL)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let id = TestServices.uniqueName("prep")
        let input = "test.\(id).input"
        let topology = FleetTopology().workerQueue(input)
        try await publisher.declare(topology)

        var settings = WorkerSettings(name: "prepare-\(id)", queue: input, topology: topology)
        settings.batchSize = 3
        settings.batchWait = .seconds(2)
        let handler = EnrichingHandler()
        let worker = WorkerService(
            settings: settings, handler: handler, amqp: amqp, postgres: postgres, health: WorkerHealth(), logger: logger
        )
        let running = Task { try await worker.run() }

        let messages = ["a", "fail", "b"].map { payload in
            AMQPMessage(
                exchange: "", routingKey: input, body: Array(payload.utf8),
                properties: AMQPProperties(contentType: "text/plain", persistent: true, messageId: "\(id)-\(payload)")
            )
        }
        #expect(try await publisher.publish(messages) == [.confirmed, .confirmed, .confirmed])
        let deadline = ContinuousClock.now + .seconds(30)
        while handler.applied.withLock({ $0.filter { $0.count == 1 }.count }) < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }

        #expect(handler.prepared.withLock { $0.sorted() } == ["a", "b", "fail"])
        let applied = handler.applied.withLock { $0 }
        #expect(applied.first?.sorted() == ["prepared:a", "prepared:b", "prepared:fail"])
        // The failed batch is applied again in halves ([a] and [fail, b]), and the half that fails again one by one,
        // each time with the inputs prepared once.
        #expect(
            applied.dropFirst().map { $0 } == [
                ["prepared:a"], ["prepared:fail", "prepared:b"], ["prepared:fail"], ["prepared:b"],
            ])
        // `apply` runs inside the transaction, so the last commit may land just after the handler has seen it.
        var inboxCount = 0
        while ContinuousClock.now < deadline {
            let inbox = try await database.query("SELECT count(*) FROM inbox WHERE consumer = $1", ["prepare-\(id)"])
            inboxCount = try inbox.first?.decode(Int.self, named: "count") ?? 0
            if inboxCount >= 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(inboxCount == 3)

        running.cancel()
        try? await running.value
        try? await publisher.deleteQueue(input)
        await publisher.close()
        await database.close()
    }
}
