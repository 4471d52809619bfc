import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// Fault test 4 of issue 14, its consumer-timeout half, on the private standalone broker of `scripts/fault-services`:
/// a batch takes longer than the broker's `consumer_timeout` (RabbitMQ 3.10 has only the node-wide setting; here 4 s,
/// set for the channels opened during the test). The broker closes the worker's channel with PRECONDITION_FAILED
/// while the batch is still in its transaction; the batch commits, its ack fails, the consumer reconnects, the
/// broker redelivers, and the inbox skips what was committed: every message applied once, nothing lost.
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct ConsumerTimeoutFaultTests {
    /// A channel reads `consumer_timeout` when it opens, and `channel_tick_interval` (how often it checks the oldest
    /// unacknowledged delivery against it; 60 s by default) each time it schedules its next check.
    static func setBroker(_ node: String, _ key: String, _ value: Int) async throws {
        try await FaultServices.rabbitmqctl(node, ["eval", "application:set_env(rabbit, \(key), \(value))."])
    }

    @Test func handlerSlowerThanTheConsumerTimeoutIsRedeliveredAndAppliedOnce() async throws {
        let started = ContinuousClock.now
        let url = try FaultServices.amqpURL()
        let node = try FaultServices.rabbitNode()
        let fleet = try await PassthroughFleet.make(
            "ctimeout", postgresURL: try FaultServices.postgresURL(), amqpURL: url)
        // Only the worker's channels (opened below, while it is set) get the short timeout.
        try await Self.setBroker(node, "channel_tick_interval", 500)
        try await Self.setBroker(node, "consumer_timeout", 4000)
        var restored = false
        defer {
            if !restored {
                _ = Task {
                    try? await Self.setBroker(node, "consumer_timeout", 1_800_000)
                    try? await Self.setBroker(node, "channel_tick_interval", 60000)
                }
            }
        }
        let port = HTTPProbe.freePort()
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ctimeout-\(fleet.id).log")
        let worker = try fleet.startWorker(
            environment: [
                "LOG_LEVEL": "info", "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1",
                "CONCIERGE_PASSTHROUGH_SLOW_ON": "slow", "CONCIERGE_PASSTHROUGH_SLOW_MS": "8000",
            ],
            log: log
        )
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        try await Self.setBroker(node, "consumer_timeout", 1_800_000)

        // One batch of 50 holding the slow message (published together, so the worker takes them together).
        let ids = try await fleet.publish(0..<50, payload: { $0 == 10 ? "slow" : "ok" })
        #expect(ids.count == 50)
        try await fleet.waitForApplied(atLeast: 50, timeout: .seconds(120))
        // The redelivered copies come back after the reconnect; give them time to be skipped.
        let deadline = ContinuousClock.now + .seconds(30)
        var redeliveries = 0.0
        while redeliveries == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            redeliveries = PrometheusText.value(
                await HTTPProbe.get(port: port, path: "/metrics")?.body ?? "", "concierge_redeliveries_total",
                ["worker": fleet.workerName]
            )
        }
        try await Task.sleep(for: .seconds(2))
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let closedByTimeout = text.contains("406") || text.localizedCaseInsensitiveContains("timed out")
        print(
            "[fault] consumer timeout: redeliveries \(redeliveries), channel closed by the broker: \(closedByTimeout), reconnected: \(text.contains("AMQP reconnected"))"
        )
        #expect(closedByTimeout, "the broker never closed the channel for the consumer timeout")
        #expect(redeliveries >= 1, "nothing was redelivered: the timeout did not hit in-flight work")
        try await Self.setBroker(node, "channel_tick_interval", 60000)
        restored = true
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(ids), "lost: \(Set(ids).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
        let letters = try await fleet.ownDeadLetters(for: .seconds(1))
        #expect(letters.isEmpty, "dead-lettered: \(letters.count)")
        #expect(worker.isRunning)
        print("[fault] consumer timeout: done in \(ContinuousClock.now - started)")
        await fleet.tearDown()
    }
}
