import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// The dead-letter queue at its bound (issue 14, "a documented bound with an alert before it is reached"), on the
/// private standalone broker of `scripts/fault-services`: the fleet's bound is a policy with `reject-publish`; here
/// the test's own dead-letter queue gets a bound of 5. At the bound the broker nacks a worker's dead-letter publish;
/// the worker holds the batch unacknowledged (not ready, `concierge_held_messages`), the queue stays at its bound,
/// and once there is room every dead letter arrives once and every valid message of the held batch is applied once.
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct DeadLetterBoundFaultTests {
    @Test func fullDeadLetterQueueHoldsMessagesUntilThereIsRoomLosingNothing() async throws {
        let started = ContinuousClock.now
        let node = try FaultServices.rabbitNode()
        let fleet = try await PassthroughFleet.make(
            "dlbound", postgresURL: try FaultServices.postgresURL(), amqpURL: try FaultServices.amqpURL())
        let policy = "test-dlbound-\(fleet.id)"
        let pattern = "^" + fleet.deadLetters.replacingOccurrences(of: ".", with: "\\.") + "$"
        try await FaultServices.rabbitmqctl(
            node,
            [
                "set_policy", "--apply-to", "queues", "--priority", "10", policy, pattern,
                #"{"max-length": 5, "overflow": "reject-publish"}"#,
            ]
        )
        let port = HTTPProbe.freePort()
        let worker = try fleet.startWorker(environment: [
            "LOG_LEVEL": "info", "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1",
        ])
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        func bad(_ range: Range<Int>) async throws -> [String] {
            var ids: [String] = []
            for n in range {
                let id = fleet.messageID(n)
                if try await fleet.publisher.publish([fleet.raw(Array("not json \(n)".utf8), messageID: id)]) == [
                    .confirmed
                ] {
                    ids.append(id)
                }
            }
            return ids
        }

        // Fill the dead-letter queue to its bound, then send more bad messages with valid ones.
        var badIDs = try await bad(0..<5)
        var deadline = ContinuousClock.now + .seconds(30)
        while try await fleet.publisher.queueStatus(fleet.deadLetters)?.messageCount ?? 0 < 5
            && ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        badIDs += try await bad(5..<15)
        let good = try await fleet.publish(100..<120)
        #expect(badIDs.count == 15 && good.count == 20)

        // At the bound: the queue does not grow, the worker holds messages and is not ready, while staying alive.
        var held = 0.0
        var ready = 200
        deadline = ContinuousClock.now + .seconds(30)
        while (held == 0 || ready == 200) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            held = PrometheusText.value(
                await HTTPProbe.get(port: port, path: "/metrics")?.body ?? "", "concierge_held_messages",
                ["worker": fleet.workerName]
            )
            ready = await HTTPProbe.get(port: port, path: "/readyz")?.status ?? 0
        }
        try await Task.sleep(for: .seconds(3))
        let atBound = try await fleet.publisher.queueStatus(fleet.deadLetters)?.messageCount ?? 0
        let alive = await HTTPProbe.get(port: port, path: "/healthz")?.status ?? 0
        print(
            "[fault] dead-letter bound: \(atBound) in the queue (bound 5), \(held) held, /readyz \(ready), /healthz \(alive)"
        )
        // A quorum queue refuses once it is over its max-length, so it holds one message past it (measured: 6 for 5).
        #expect(atBound == 5 || atBound == 6, "the dead-letter queue went past its bound")
        #expect(held > 0, "the worker never held a message")
        #expect(ready != 200 && alive == 200)
        #expect(
            try await fleet.appliedTotal() == 0,
            "the held batch's valid messages were applied before their dead letters were taken")

        // Room again: draining the queue lets every dead letter in, once; the valid messages are applied once.
        let expected = badIDs
        let letters = try await fleet.drainDeadLetters(
            until: { Set($0.compactMap(\.properties.messageId)).isSuperset(of: expected) }, timeout: .seconds(90))
        var counts: [String: Int] = [:]
        for letter in letters { counts[letter.properties.messageId ?? "", default: 0] += 1 }
        #expect(Set(counts.keys) == Set(badIDs), "dead letters lost: \(Set(badIDs).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "dead-lettered twice: \(counts.filter { $0.value > 1 }.count)")
        try await fleet.waitForApplied(atLeast: good.count, timeout: .seconds(60))
        let applied = try await fleet.appliedCounts()
        #expect(Set(applied.keys) == Set(good) && applied.values.allSatisfy { $0 == 1 })
        deadline = ContinuousClock.now + .seconds(30)
        while await HTTPProbe.get(port: port, path: "/readyz")?.status != 200 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(
            await HTTPProbe.get(port: port, path: "/readyz")?.status == 200, "the worker did not become ready again")
        let metrics = await HTTPProbe.get(port: port, path: "/metrics")?.body ?? ""
        // Fault test 9: each bad message counted once as dead-lettered, however many times its publish was refused.
        #expect(PrometheusText.value(metrics, "concierge_dead_lettered_total", ["worker": fleet.workerName]) == 15)
        try await FaultServices.rabbitmqctl(node, ["clear_policy", policy])
        print("[fault] dead-letter bound: done in \(ContinuousClock.now - started)")
        await fleet.tearDown()
    }
}
