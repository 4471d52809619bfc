import ConciergeAMQP
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Synchronization
import Testing

/// Fault test 1 of issue 14: PostgreSQL down for six minutes (`CONCIERGE_FAULT_PG_OUTAGE_SECONDS`, default 360) on the
/// private cluster of `scripts/fault-services`, once under steady load and once with a single message in flight (two
/// fleets through the same outage). Throughout: nothing dead-lettered or sent to a retry tier, `/healthz` 200 and
/// `/readyz` 503; afterwards every confirmed message applied exactly once, and the workers' counters say so.
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct LongDatabaseOutageFaultTests {
    static var outage: Duration {
        .seconds(Int(TestServices.environment["CONCIERGE_FAULT_PG_OUTAGE_SECONDS"] ?? "") ?? 360)
    }

    @Test func longDatabaseOutageDeadLettersNothingAndLosesNothing() async throws {
        let postgresURL = try FaultServices.postgresURL()
        let steady = try await PassthroughFleet.make("pgdown-load", postgresURL: postgresURL)
        let single = try await PassthroughFleet.make("pgdown-one", postgresURL: postgresURL)
        let ports = (steady: HTTPProbe.freePort(), single: HTTPProbe.freePort())
        let environment = ["HTTP_HOST": "127.0.0.1"]
        let steadyWorker = try steady.startWorker(
            environment: environment.merging(["HTTP_PORT": "\(ports.steady)"]) { $1 })
        let singleWorker = try single.startWorker(
            environment: environment.merging(["HTTP_PORT": "\(ports.single)"]) { $1 })
        defer {
            steadyWorker.terminate()
            singleWorker.terminate()
        }
        try await steady.waitForConsumers()
        try await single.waitForConsumers()

        // Steady load on one fleet for the whole test: 20 messages every 500 ms.
        let confirmed = Mutex<[String]>([])
        let stopLoad = Atomic<Bool>(false)
        let load = Task {
            var sequence = 0
            while !stopLoad.load(ordering: .relaxed) {
                let ids = try await steady.publish(sequence..<(sequence + 20))
                confirmed.withLock { $0 += ids }
                sequence += 20
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        try await steady.waitForApplied(atLeast: 200)

        let clock = ContinuousClock()
        try await FaultServices.postgresCluster("stop")
        let stopped = clock.now
        // The single fleet's one message is published into the outage: it is in flight when the database is gone.
        let singleConfirmed = try await single.publish(0..<1)
        #expect(singleConfirmed.count == 1)

        // Health throughout the outage, once a second. Readiness may take the reconnect timeout (5 s) plus a probe
        // interval (5 s) to fall; after 15 s it must be down.
        var samples = 0
        var notAlive: [String] = []
        var readyTooLong: [String] = []
        var steadyHeld = 0.0
        var singleHeld = 0
        while clock.now - stopped < Self.outage {
            try await Task.sleep(for: .seconds(1))
            samples += 1
            let into = clock.now - stopped
            for (name, port) in [("steady", ports.steady), ("single", ports.single)] {
                let live = await HTTPProbe.get(port: port, path: "/healthz")
                let ready = await HTTPProbe.get(port: port, path: "/readyz")
                if live?.status != 200 { notAlive.append("\(name) at \(into): \(live?.status ?? -1)") }
                if into > .seconds(15), ready?.status != 503 {
                    readyTooLong.append("\(name) at \(into): \(ready?.status ?? -1)")
                }
            }
            if samples % 10 == 0 {
                steadyHeld = max(steadyHeld, await Self.metric(ports.steady, "concierge_held_messages"))
                // Not in the queue and (the database being down) not applied: the worker holds it unacknowledged,
                // taken into a batch or still in its prefetch buffer (when its idle probe saw the outage first).
                if try await single.publisher.queueStatus(single.input)?.messageCount == 0 { singleHeld += 1 }
            }
        }
        #expect(steadyWorker.isRunning && singleWorker.isRunning, "a worker died during the outage")
        #expect(notAlive.isEmpty, "liveness failed: \(notAlive.prefix(5))")
        #expect(readyTooLong.isEmpty, "still ready during the outage: \(readyTooLong.prefix(5))")
        // The fault hit in-flight work: both workers were holding messages.
        #expect(steadyHeld > 0, "the steady worker held nothing during the outage")
        #expect(singleHeld == samples / 10, "the single message sat in the queue instead of with its worker")

        try await FaultServices.postgresCluster("start")
        let restarted = clock.now
        print("[fault] PostgreSQL was down for \(restarted - stopped); \(samples) health samples")

        // Recovery: the first application after the restart, then every confirmed message.
        try await single.waitForApplied(atLeast: 1, timeout: .seconds(120))
        let singleBack = clock.now - restarted
        stopLoad.store(true, ordering: .relaxed)
        try await load.value
        let all = confirmed.withLock { $0 }
        try await steady.waitForApplied(atLeast: all.count, timeout: .seconds(180))
        let steadyBack = clock.now - restarted
        print(
            "[fault] after the restart: the single message applied in \(singleBack), all \(all.count) steady messages in \(steadyBack)"
        )

        for (fleet, ids) in [(steady, all), (single, singleConfirmed)] {
            let counts = try await fleet.appliedCounts()
            #expect(Set(counts.keys) == Set(ids), "lost: \(Set(ids).subtracting(counts.keys).count)")
            #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
            let dead = try await fleet.ownDeadLetters(for: .seconds(2))
            #expect(dead.isEmpty, "dead-lettered: \(dead.count)")
        }

        // The counters tell what happened: everything processed, nothing retried or dead-lettered, the outage seen.
        for (name, port, expected) in [("steady", ports.steady, all.count), ("single", ports.single, 1)] {
            let text = await HTTPProbe.get(port: port, path: "/metrics")?.body ?? ""
            let processed = PrometheusText.value(text, "concierge_messages_total", ["outcome": "processed"])
            #expect(Int(processed) == expected, "\(name): processed \(processed), expected \(expected)")
            #expect(
                PrometheusText.value(text, "concierge_messages_total", ["outcome": "retried"]) == 0, "\(name) retried")
            #expect(
                PrometheusText.value(text, "concierge_messages_total", ["outcome": "dead_lettered"]) == 0,
                "\(name) dead-lettered")
            #expect(
                PrometheusText.value(text, "concierge_dependency_unavailable_total", ["dependency": "database"]) >= 1,
                "\(name) never saw the outage")
            #expect(PrometheusText.value(text, "concierge_held_messages") == 0, "\(name) still holds messages")
            print(
                "[fault] \(name): redeliveries \(PrometheusText.value(text, "concierge_redeliveries_total")), db retries \(PrometheusText.value(text, "concierge_db_retries_total"))"
            )
        }
        #expect(steadyWorker.isRunning && singleWorker.isRunning)
        await steady.tearDown()
        await single.tearDown()
    }

    static func metric(_ port: Int, _ name: String) async -> Double {
        PrometheusText.value(await HTTPProbe.get(port: port, path: "/metrics")?.body ?? "", name)
    }
}
