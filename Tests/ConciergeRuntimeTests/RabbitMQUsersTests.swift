import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import Testing

/// The users of `config/rabbitmq-users.tsv`, as `scripts/services` made them on the real broker: each worker kind can
/// declare exactly its part of the fleet's topology and publish what its kind publishes; everything else is refused by
/// the broker. KEDA can read a queue's depth and nothing more.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ not reachable"))
struct RabbitMQUsersTests {
    let logger = Logger(label: "test.rabbitmq-users")

    func connect(as user: String) async throws -> AMQPPublisher {
        try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(
                url: TestServices.amqpURL(as: user), connectionName: "test-users-\(user)"), logger: self.logger
        )
    }

    /// A message nobody is bound to (a key of this run's own), so a permitted publish is confirmed and then dropped.
    func message(_ exchange: String, _ key: String) -> AMQPMessage {
        AMQPMessage(
            exchange: exchange, routingKey: key, body: Array("{}".utf8), properties: AMQPProperties(persistent: false),
            mandatory: false)
    }

    @Test func theShippedFileListsEveryWorkerKindTheGatewayAndKEDA() throws {
        let users = try RabbitMQUsers.parse(
            try String(contentsOfFile: TestServices.repositoryFile("config/rabbitmq-users.tsv"), encoding: .utf8))
        #expect(
            Set(users.users.map(\.name))
                == Set(
                    FleetTopology.Worker.allCases.map { "concierge-\($0.rawValue)" } + [
                        "concierge-gateway", "concierge-keda",
                    ]))
        let keda = try #require(users.user("concierge-keda"))
        #expect(keda.tags == ["monitoring"] && keda.configure == "^$" && keda.write == "^$" && keda.read == "^$")
    }

    @Test(arguments: FleetTopology.Worker.allCases)
    func eachWorkerKindDeclaresItsOwnTopologyAndNoOtherKindsQueue(_ worker: FleetTopology.Worker) async throws {
        let topology = FleetTopology()
        let publisher = try await self.connect(as: "concierge-\(worker.rawValue)")
        // What the worker declares on every (re)connect.
        try await publisher.declare(topology.worker(worker))
        // Any other kind's queue: refused (403), and the publisher recovers.
        let own = Set(topology.worker(worker).queues.map(\.name))
        for other in FleetTopology.Worker.allCases where other != worker {
            for queue in topology.worker(other).queues where !own.contains(queue.name) {
                await #expect(throws: AMQPError.self, "\(worker) declared \(queue.name)") {
                    try await publisher.declare(AMQPTopology(queues: [queue]))
                }
            }
        }
        try await publisher.declare(topology.worker(worker))
        await publisher.close()
    }

    @Test func eachKindPublishesOnlyWhatItsKindPublishes() async throws {
        let run = TestServices.uniqueName("users").replacingOccurrences(of: ".", with: "-")
        let allowed: [(String, AMQPMessage)] = [
            ("concierge-classifier", self.message(FleetNames.workExchange, "lane.\(run)")),
            ("concierge-responder", self.message(FleetNames.outcomesExchange, "reply.\(run)")),
            ("concierge-responder", self.message(FleetNames.outcomesExchange, "handoff.\(run)")),
            ("concierge-escalation", self.message(FleetNames.outcomesExchange, "offer.agent.\(run)")),
            ("concierge-escalation", self.message(FleetNames.outcomesExchange, "conversation.agent.\(run)")),
            ("concierge-escalation", self.message(FleetNames.workExchange, "payout.\(run)")),
        ]
        let refused: [(String, AMQPMessage)] = [
            // Exchanges a kind never publishes to.
            ("concierge-classifier", self.message(FleetNames.outcomesExchange, "reply.\(run)")),
            ("concierge-responder", self.message(FleetNames.agentsExchange, "agent.\(run).online")),
            ("concierge-payout", self.message(FleetNames.workExchange, "payout.\(run)")),
            ("concierge-gateway", self.message(FleetNames.workExchange, "payout.\(run)")),
            ("concierge-keda", self.message(FleetNames.inquiriesExchange, "inquiry.\(run)")),
            // Routing keys outside a kind's topic permissions on concierge.outcomes.
            ("concierge-responder", self.message(FleetNames.outcomesExchange, "offer.agent.\(run)")),
            ("concierge-escalation", self.message(FleetNames.outcomesExchange, "handoff.\(run)")),
        ]
        for (user, message) in allowed {
            let publisher = try await self.connect(as: user)
            #expect(
                try await publisher.publish([message]) == [.confirmed],
                "\(user) → \(message.exchange) \(message.routingKey)")
            await publisher.close()
        }
        for (user, message) in refused {
            let publisher = try await self.connect(as: user)
            await #expect(throws: AMQPError.self, "\(user) → \(message.exchange) \(message.routingKey)") {
                try await publisher.publish([message])
            }
            await publisher.close()
        }
    }

    @Test func kedaReadsQueueDepthAndCannotConsume() async throws {
        let admin = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-users-admin"),
            logger: self.logger
        )
        try await admin.declare(FleetTopology().worker(.classifier))
        await admin.close()
        let keda = try await self.connect(as: "concierge-keda")
        // KEDA's AMQP scaler reads depth with a passive queue.declare.
        #expect(try await keda.queueStatus(FleetNames.classifierQueue) != nil)
        await #expect(throws: AMQPError.self) {
            try await keda.declare(
                AMQPTopology(queues: [.init(name: "test.keda.\(UUID().uuidString)", durable: false)]))
        }
        await keda.close()
        let configuration = try AMQPConfiguration(
            url: TestServices.amqpURL(as: "concierge-keda"), connectionName: "test-users-keda-consume")
        await #expect(throws: (any Error).self) {
            let consumer = try await AMQPConsumer.connect(
                configuration: configuration, queue: FleetNames.classifierQueue, prefetch: 1, logger: self.logger)
            await consumer.close()
        }
    }
}
