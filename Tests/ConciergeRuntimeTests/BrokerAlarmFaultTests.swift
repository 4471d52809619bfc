import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// Fault test 7 of issue 14 on the private standalone broker of `scripts/fault-services`: a memory alarm while a
/// worker has work. The broker blocks publishing connections (`connection.blocked`); the worker keeps consuming and
/// committing, the relay's in-memory hand-off stays bounded (`outbox.handoff_limit`), the outbox holds the rest, the
/// backlog gauge shows it, and once the alarm clears every message reaches the sink and each is applied once.
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct BrokerAlarmFaultTests {
    static func metric(_ port: Int, _ name: String, _ labels: [String: String]) async -> Double {
        PrometheusText.value(await HTTPProbe.get(port: port, path: "/metrics")?.body ?? "", name, labels)
    }

    @Test func memoryAlarmBlocksPublishingAndTheOutboxHoldsTheRestLosingNothing() async throws {
        let started = ContinuousClock.now
        let url = try FaultServices.amqpURL()
        let node = try FaultServices.rabbitNode()
        let fleet = try await PassthroughFleet.make("alarm", postgresURL: try FaultServices.postgresURL(), amqpURL: url)
        let count = 3000
        let ids = try await fleet.publish(0..<count)
        #expect(ids.count == count)

        // The alarm first, then the worker: everything it commits meets a blocked broker.
        try await FaultServices.rabbitmqctl(node, ["set_vm_memory_high_watermark", "0.0000001"])
        var alarmCleared = false
        defer {
            if !alarmCleared {
                // A failed expectation must not leave the broker blocking every later suite.
                _ = Task { try? await FaultServices.rabbitmqctl(node, ["set_vm_memory_high_watermark", "0.4"]) }
            }
        }
        let port = HTTPProbe.freePort()
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("alarm-\(fleet.id).log")
        let worker = try fleet.startWorker(
            environment: [
                "LOG_LEVEL": "info", "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1", "OUTBOX_HANDOFF_LIMIT": "500",
            ], log: log
        )
        defer { worker.terminate() }

        // Consumed, applied and acked while publishing is blocked.
        try await fleet.waitForApplied(atLeast: count, timeout: .seconds(120))
        let labels = ["worker": fleet.workerName]
        var backlog = 0.0
        let deadline = ContinuousClock.now + .seconds(30)
        while backlog < Double(count) / 2 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            backlog = await Self.metric(port, "concierge_outbox_backlog_messages", labels)
        }
        let unsent =
            try await fleet.database.query(
                "SELECT count(*) FROM outbox WHERE producer = $1 AND sent_at IS NULL", [fleet.workerName]
            ).first?.decode(Int.self, named: "count") ?? 0
        let inSink = try await fleet.publisher.queueStatus(fleet.sink)?.messageCount ?? 0
        let leftToSweep = await Self.metric(port, "concierge_outbox_left_to_sweep_total", labels)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print(
            "[fault] memory alarm: applied \(count), unsent outbox rows \(unsent), backlog gauge \(backlog), in the sink \(inSink), left to the sweep \(leftToSweep)"
        )
        #expect(text.contains("AMQP connection blocked by the broker"), "the worker never saw connection.blocked")
        #expect(unsent >= count / 2, "the alarm did not hold the outbox back")
        #expect(backlog >= Double(count) / 2, "the backlog gauge does not show the held outbox")
        #expect(leftToSweep >= Double(count - 500 - Int(inSink)) / 2, "the hand-off queue was not bounded")
        #expect(worker.isRunning)

        try await FaultServices.rabbitmqctl(node, ["set_vm_memory_high_watermark", "0.4"])
        alarmCleared = true
        let cleared = ContinuousClock.now
        let delivered = try await fleet.drainSink(expected: count, timeout: .seconds(180))
        print(
            "[fault] memory alarm cleared: \(delivered.count) of \(count) in the sink after \(ContinuousClock.now - cleared)"
        )
        #expect(delivered == Set(ids), "lost after the alarm: \(Set(ids).subtracting(delivered).count)")
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(ids) && counts.values.allSatisfy { $0 == 1 })
        // The gauge comes back down (measured every 5 s, rows older than 5 s).
        var after = backlog
        let settle = ContinuousClock.now + .seconds(30)
        while after > 0 && ContinuousClock.now < settle {
            try await Task.sleep(for: .seconds(1))
            after = await Self.metric(port, "concierge_outbox_backlog_messages", labels)
        }
        #expect(after == 0)
        // Fault test 9: the counters say what happened: 3,000 processed, none retried or dead-lettered, each row
        // confirmed once (the rows in memory when the alarm held the relay up are not swept again).
        let metrics = await HTTPProbe.get(port: port, path: "/metrics")?.body ?? ""
        #expect(
            PrometheusText.value(metrics, "concierge_messages_total", labels.merging(["outcome": "processed"]) { $1 })
                == Double(count))
        #expect(
            PrometheusText.value(metrics, "concierge_messages_total", labels.merging(["outcome": "retried"]) { $1 })
                == 0)
        #expect(PrometheusText.value(metrics, "concierge_dead_lettered_total", labels) == 0)
        let confirmed = PrometheusText.value(
            metrics, "concierge_publisher_confirms_total", labels.merging(["outcome": "confirmed"]) { $1 })
        #expect(confirmed == Double(count), "confirmed \(confirmed)")
        print("[fault] memory alarm: \(confirmed) publisher confirms for \(count) outbox rows")
        print("[fault] memory alarm: done in \(ContinuousClock.now - started)")
        await fleet.tearDown()
    }
}
