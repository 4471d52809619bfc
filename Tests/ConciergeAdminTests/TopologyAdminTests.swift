import ConciergeAMQP
import ConciergeAdmin
import ConciergeCore
import ConciergeTesting
import Foundation
import Logging
import Testing

/// `topology --policy`'s shell line and `queues`' table, without a broker.
@Suite struct TopologyAdminTests {
    @Test func wordsAShellWouldSplitOrExpandAreSingleQuoted() {
        let words = [
            "rabbitmqctl", "set_policy", "-p", "/", "concierge-dead-letter-bound", "^concierge\\.dead-letter$",
            "{\"max-length\":100000}", "--apply-to", "queues", "two words", "$HOME",
        ]
        #expect(
            ShellCommandLine.line(words)
                == "rabbitmqctl set_policy -p / concierge-dead-letter-bound '^concierge\\.dead-letter$' "
                + "'{\"max-length\":100000}' --apply-to queues 'two words' '$HOME'")
    }

    @Test func queuesAlignInAColumnAsWideAsTheLongestName() {
        let depths = QueueDepths(queues: [
            .init(name: "concierge.a", status: AMQPQueueStatus(messageCount: 12, consumerCount: 3)),
            .init(name: "concierge.longer-name", status: nil),
        ])
        #expect(
            depths.lines == [
                "queue                  messages  consumers",
                "concierge.a                  12          3",
                "concierge.longer-name         -  (missing)",
            ])
        #expect(QueueDepths(queues: []).lines == ["queue       messages  consumers"])
    }
}

/// `topology --remove-legacy-retry-tiers` and `queues` against the real broker, on tiers and queues of this run only.
@Suite(.enabled(if: TestServices.enabled))
struct TopologyAdminBrokerTests {
    @Test func anEmptyClassicTierGoesAndOneHoldingAMessageStays() async throws {
        let publisher = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-admin-legacy-tiers"),
            logger: Logger(label: "test.admin-legacy-tiers"))
        let base = 150_000 + Int.random(in: 0..<100_000)
        let tiers = RetryTiers(delays: [.milliseconds(base), .milliseconds(base + 1)])
        for tier in tiers.delays.indices {
            let name = tiers.legacyQueueName(tier: tier)
            try await publisher.declare(
                AMQPTopology(
                    exchanges: [.init(name: name, type: "fanout")],
                    queues: [.init(name: name, arguments: ["x-queue-type": .string("classic")])],
                    bindings: [.init(queue: name, exchange: name, routingKey: "")]))
        }
        let full = tiers.legacyQueueName(tier: 1)
        let message = AMQPMessage(
            exchange: full, routingKey: "test.nowhere", body: Array("{}".utf8), properties: AMQPProperties())
        #expect(try await publisher.publish([message]) == [.confirmed])

        let lines = await LegacyRetryTiers.removeEmpty(tiers, with: publisher)
        let depths = try await QueueDepths.load([tiers.legacyQueueName(tier: 0), full], with: publisher)
        try? await publisher.deleteQueue(full)
        try? await publisher.deleteExchange(full)
        await publisher.close()

        #expect(lines.count == 2)
        #expect(
            lines[0]
                == "topology: removed the classic retry tier \(tiers.legacyQueueName(tier: 0)) (or it did not exist)")
        #expect(lines[1].hasPrefix("topology: kept the classic retry tier \(full): it still holds messages ("))
        #expect(lines[1].hasSuffix("); try again later"))
        #expect(depths.queues.map(\.name) == [tiers.legacyQueueName(tier: 0), full])
        #expect(depths.queues[0].status == nil)
        #expect(depths.queues[1].status == AMQPQueueStatus(messageCount: 1, consumerCount: 0))
    }
}
