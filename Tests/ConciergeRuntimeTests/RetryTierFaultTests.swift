import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// Fault test 6 of issue 14: the retry tiers and the dead-letter path are at least once. Messages wait in a retry
/// tier and in the dead-letter queue while the private broker (`scripts/fault-services`' standalone node) is killed
/// and started again, and their tier then expires while the queue they return to refuses them (a length limit,
/// reject-publish): a quorum tier with at-least-once dead-lettering keeps them and sends them again once there is
/// room. (With the tiers as classic queues, at-most-once, this test fails: measured, the 150 retries went into the
/// input queue past its limit of 1.)
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct RetryTierFaultTests {
    @Test func retryTiersAndDeadLettersSurviveBrokerRestartAndRefusalAppliedOnce() async throws {
        let started = ContinuousClock.now
        let url = try FaultServices.amqpURL()
        let node = try FaultServices.rabbitNode()
        let fleet = try await PassthroughFleet.make("tiers", postgresURL: try FaultServices.postgresURL(), amqpURL: url)
        // Tier delays of this run only (their queue names carry the delay), so a queue left by an earlier run cannot
        // blur the depths below. The first outlasts the broker's restart (14 to 38 s measured here); the second is
        // short (the always-failing messages go through both).
        let delay = 55_000 + Int.random(in: 0..<1000)
        let second = 1000 + Int.random(in: 0..<1000)
        let tiers = RetryTiers(delays: [.milliseconds(delay), .milliseconds(second)])
        let tier0 = tiers.queueName(tier: 0)
        let refusal = "test-refuse-\(fleet.id)"
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tiers-\(fleet.id).log")
        let environment = [
            "LOG_LEVEL": "info", "RETRY_DELAYS_MS": "\(delay),\(second)",
            "CONCIERGE_PASSTHROUGH_FLAKY_ON": "flaky", "CONCIERGE_PASSTHROUGH_FLAKY_TIMES": "1",
            "CONCIERGE_PASSTHROUGH_FAIL_ON": "fail",
        ]
        let ports = (first: HTTPProbe.freePort(), second: HTTPProbe.freePort())
        let worker = try fleet.startWorker(
            environment: environment.merging(["HTTP_PORT": "\(ports.first)", "HTTP_HOST": "127.0.0.1"]) { $1 }, log: log
        )
        defer { worker.terminate() }
        try await fleet.waitForConsumers()

        // 100 messages that fail once (then succeed), 50 that always fail (retries exhausted after two tiers), 50
        // that are not JSON (dead-lettered at once).
        let flaky = try await fleet.publish(0..<100, payload: { _ in "flaky" })
        let failing = try await fleet.publish(100..<150, payload: { _ in "fail" })
        var bad: [String] = []
        for n in 150..<200 {
            let id = fleet.messageID(n)
            if try await fleet.publisher.publish([fleet.raw(Array("not json \(n)".utf8), messageID: id)]) == [
                .confirmed
            ] {
                bad.append(id)
            }
        }
        #expect(flaky.count == 100 && failing.count == 50 && bad.count == 50)

        // In the tier and in the dead-letter queue before the fault: the fault hits them there.
        let deadline = ContinuousClock.now + .seconds(10)
        var inTier: UInt32 = 0
        var inDeadLetters: UInt32 = 0
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            inTier = try await fleet.publisher.queueStatus(tier0)?.messageCount ?? 0
            inDeadLetters = try await fleet.publisher.queueStatus(fleet.deadLetters)?.messageCount ?? 0
        } while (inTier < 150 || inDeadLetters < 50) && ContinuousClock.now < deadline
        print("[fault] before the restart: \(inTier) in \(tier0), \(inDeadLetters) in \(fleet.deadLetters)")
        #expect(inTier == 150, "not every retried message was in the tier when the broker went down")
        #expect(inDeadLetters >= 50)
        #expect(try await fleet.appliedTotal() == 0)

        // The worker stops (the messages wait in the tier and in the dead-letter queue, not in its hands), and the
        // input queue fills up to a length limit (its overflow is reject-publish): it refuses messages from now on.
        // The policy outlives the restart.
        // Fault test 9: the first worker's counters say what it did (150 retried, 50 dead-lettered, none applied).
        let first = await HTTPProbe.get(port: ports.first, path: "/metrics")?.body ?? ""
        let labels = ["worker": fleet.workerName]
        #expect(
            PrometheusText.value(first, "concierge_messages_total", labels.merging(["outcome": "retried"]) { $1 })
                == 150)
        #expect(
            PrometheusText.value(first, "concierge_messages_total", labels.merging(["outcome": "processed"]) { $1 })
                == 0)
        #expect(PrometheusText.value(first, "concierge_dead_lettered_total", labels) == 50)
        #expect(
            PrometheusText.value(
                first, "concierge_dead_lettered_total", labels.merging(["reason": "retries_exhausted"]) { $1 }) == 0)
        worker.terminate()
        #expect(await worker.waitForExit(timeout: .seconds(20)))
        let pattern = "^" + fleet.input.replacingOccurrences(of: ".", with: "\\.") + "$"
        try await FaultServices.rabbitmqctl(
            node, ["set_policy", "--apply-to", "queues", "--priority", "10", refusal, pattern, #"{"max-length": 1}"#])
        var fillers: [String] = []
        var refused = false
        for n in 200..<210 where !refused {
            let id = fleet.messageID(n)
            let body = PassthroughV1(messageID: id, sequence: n, sentAtNanoseconds: 0, payload: "ok").encodedBody()
            switch try await fleet.publisher.publish([fleet.raw(body, messageID: id)]).first {
            case .confirmed: fillers.append(id)
            default: refused = true
            }
        }
        #expect(refused, "the input queue never refused a message")
        // Kill the broker (no clean shutdown) and start it again, well within the tier's delay.
        let pid = try FaultServices.pid(ofNode: node)
        #expect(kill(pid, SIGKILL) == 0)
        try await Task.sleep(for: .seconds(1))
        try await FaultServices.startAgain()
        let afterRestart = try await fleet.publisher.queueStatus(tier0)?.messageCount ?? 0
        print(
            "[fault] broker restarted \(ContinuousClock.now - started) in: \(afterRestart) in \(tier0), \(fillers.count) fillers in the input queue"
        )
        #expect(
            afterRestart == 150, "the tier lost messages in the restart (or the restart outlasted the tier's delay)")

        // The tier's delay passes while the input queue refuses: the messages must not come back yet, nor vanish.
        let tierExpiry = started + .milliseconds(delay) + .seconds(6)
        if ContinuousClock.now < tierExpiry { try await Task.sleep(until: tierExpiry) }
        let inInput = try await fleet.publisher.queueStatus(fleet.input)?.messageCount ?? 0
        #expect(
            inInput == UInt32(fillers.count),
            "the input queue took returning messages while it should have refused them")
        // Room again the way it comes in production: a higher limit, and a consumer draining the queue below it (the
        // quorum queue then tells the enqueuers it refused, the tier's dead-letter process among them, to go on).
        // Only removing the limit does not: on RabbitMQ 3.10.8 the refused retries then stayed in the tier for over
        // 90 s (measured), until something else woke its dead-letter process.
        try await FaultServices.rabbitmqctl(
            node,
            ["set_policy", "--apply-to", "queues", "--priority", "10", refusal, pattern, #"{"max-length": 100000}"#])
        print("[fault] limit raised \(ContinuousClock.now - started) in, \(inInput) in the input queue")
        let again = try fleet.startWorker(
            environment: environment.merging(["HTTP_PORT": "\(ports.second)", "HTTP_HOST": "127.0.0.1"]) { $1 },
            log: log)
        defer { again.terminate() }

        // Every flaky message applied once; the failing ones retried through the second tier, then dead-lettered with
        // the bad ones, each once.
        let applied = flaky + fillers
        try? await fleet.waitForApplied(atLeast: applied.count, timeout: .seconds(90))
        let counts = try await fleet.appliedCounts()
        #expect(
            Set(counts.keys) == Set(applied),
            "lost: \(Set(applied).subtracting(counts.keys).count), applied but not expected: \(Set(counts.keys).subtracting(applied).count)"
        )
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
        let expectedDead = Set(failing + bad)
        let letters = try await fleet.drainDeadLetters(
            until: { Set($0.compactMap(\.properties.messageId)).isSuperset(of: expectedDead) }, timeout: .seconds(90)
        )
        var deadCounts: [String: Int] = [:]
        for letter in letters { deadCounts[letter.properties.messageId ?? "", default: 0] += 1 }
        #expect(
            Set(deadCounts.keys) == expectedDead,
            "dead letters lost: \(expectedDead.subtracting(deadCounts.keys).count)")
        #expect(
            deadCounts.values.allSatisfy { $0 == 1 }, "dead-lettered twice: \(deadCounts.filter { $0.value > 1 }.count)"
        )
        let exhausted = letters.filter {
            $0.properties.headers[FleetNames.Headers.reason] == .string("retries_exhausted")
        }
        #expect(Set(exhausted.compactMap(\.properties.messageId)) == Set(failing))
        #expect(again.isRunning)
        // Fault test 9: the second worker applied the flaky messages and the fillers, retried the failing ones once
        // more and dead-lettered them as retries_exhausted.
        let secondMetrics = await HTTPProbe.get(port: ports.second, path: "/metrics")?.body ?? ""
        #expect(
            PrometheusText.value(
                secondMetrics, "concierge_messages_total", labels.merging(["outcome": "processed"]) { $1 })
                == Double(applied.count))
        #expect(
            PrometheusText.value(
                secondMetrics, "concierge_messages_total", labels.merging(["outcome": "retried"]) { $1 }) == 50)
        #expect(
            PrometheusText.value(
                secondMetrics, "concierge_dead_lettered_total", labels.merging(["reason": "retries_exhausted"]) { $1 })
                == 50)
        #expect(PrometheusText.value(secondMetrics, "concierge_dead_lettered_total", labels) == 50)
        try await FaultServices.rabbitmqctl(node, ["clear_policy", refusal])
        print("[fault] retry tiers: done in \(ContinuousClock.now - started)")

        for tier in tiers.delays.indices {
            try? await fleet.publisher.deleteQueue(tiers.queueName(tier: tier))
            try? await fleet.publisher.deleteExchange(tiers.queueName(tier: tier))
        }
        await fleet.tearDown()
    }
}
