import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import Testing

/// Upgrading a broker that has the classic retry tiers of earlier versions: `conciergectl topology` declares the
/// quorum tiers beside them without a PRECONDITION_FAILED, and `--remove-legacy-retry-tiers` deletes an empty classic
/// tier (queue and exchange) but keeps one that still holds a message. Tier delays of this run only, so the shared
/// broker's real tiers are not touched.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct RetryTierUpgradeTests {
    @Test func topologyDeclaresQuorumTiersBesideClassicOnesAndRemovesOnlyEmptyClassicOnes() async throws {
        let logger = Logger(label: "test.tier-upgrade")
        let publisher = try await AMQPPublisher.connect(
            configuration: try AMQPConfiguration(url: TestServices.amqpURL, connectionName: "test-tier-upgrade"),
            logger: logger
        )
        let base = 50_000 + Int.random(in: 0..<100_000)
        let tiers = RetryTiers(delays: [.milliseconds(base), .milliseconds(base + 1)])
        // The classic tiers as earlier versions declared them; the second holds a message.
        for tier in tiers.delays.indices {
            let name = tiers.legacyQueueName(tier: tier)
            try await publisher.declare(
                AMQPTopology(
                    exchanges: [.init(name: name, type: "fanout")],
                    queues: [
                        .init(
                            name: name,
                            arguments: [
                                "x-queue-type": .string("classic"),
                                "x-message-ttl": .int(tiers.ttlMilliseconds(tier: tier)),
                                "x-dead-letter-exchange": .string(""),
                            ]
                        )
                    ],
                    bindings: [.init(queue: name, exchange: name, routingKey: "")]
                )
            )
        }
        let waiting = AMQPMessage(
            exchange: tiers.legacyQueueName(tier: 1), routingKey: "test.nowhere", body: Array("{}".utf8),
            properties: AMQPProperties(persistent: true)
        )
        #expect(try await publisher.publish([waiting]) == [.confirmed])

        let run = await CommandLineRun.run(
            ["topology", "--remove-legacy-retry-tiers"],
            environment: ["RETRY_DELAYS_MS": "\(base),\(base + 1)", "AMQP_URL": TestServices.amqpURL]
        )
        print("[upgrade] \(run.output)")
        #expect(run.status == 0, "conciergectl topology failed: \(run.errors.suffix(500))")
        for tier in tiers.delays.indices {
            #expect(
                try await publisher.queueStatus(tiers.queueName(tier: tier)) != nil,
                "no quorum tier \(tiers.queueName(tier: tier))")
        }
        #expect(
            try await publisher.queueStatus(tiers.legacyQueueName(tier: 0)) == nil,
            "the empty classic tier is still there")
        #expect(
            try await publisher.queueStatus(tiers.legacyQueueName(tier: 1))?.messageCount == 1,
            "the classic tier holding a message was not kept")
        #expect(run.output.contains("kept the classic retry tier \(tiers.legacyQueueName(tier: 1))"))

        for tier in tiers.delays.indices {
            for name in [tiers.queueName(tier: tier), tiers.legacyQueueName(tier: tier)] {
                try? await publisher.deleteQueue(name)
                try? await publisher.deleteExchange(name)
            }
        }
        await publisher.close()
    }
}
