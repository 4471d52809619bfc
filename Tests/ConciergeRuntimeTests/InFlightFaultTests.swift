import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Testing

/// Fault tests 2 (a hung worker), 3 (crash points), 4 (a handler slower than the heartbeat), 5 (transient failures
/// that end) and 8 (SIGTERM mid-batch, SIGKILL after the grace period) of issue 14. Each compares the confirmed ids with the applied ones (lost = 0, applied twice =
/// 0) and checks that the fault hit in-flight work. They break only their own worker processes, on the shared
/// services.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct InFlightFaultTests {
    /// Starts a worker with its health server on a free port.
    static func worker(_ fleet: PassthroughFleet, _ environment: [String: String] = [:]) throws -> (
        process: Process, port: Int
    ) {
        let port = HTTPProbe.freePort()
        let process = try fleet.startWorker(
            environment: environment.merging(["HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1"]) { $1 })
        return (process, port)
    }

    static func metric(_ port: Int, _ name: String, _ labels: [String: String] = [:]) async -> Double {
        PrometheusText.value(await HTTPProbe.get(port: port, path: "/metrics")?.body ?? "", name, labels)
    }

    /// A second fleet consuming what `upstream` forwards: the downstream consumer whose view counts.
    static func downstream(of upstream: PassthroughFleet, _ label: String) async throws -> PassthroughFleet {
        let fleet = try await PassthroughFleet.make(label)
        try await fleet.publisher.declare(
            AMQPTopology(bindings: [
                .init(queue: fleet.input, exchange: FleetNames.outcomesExchange, routingKey: upstream.outputKey)
            ])
        )
        return fleet
    }

    static func expectExactlyOnce(_ fleet: PassthroughFleet, _ ids: [String], _ what: String) async throws {
        let counts = try await fleet.appliedCounts()
        #expect(
            Set(counts.keys) == Set(ids),
            "\(what): lost \(Set(ids).subtracting(counts.keys).count), extra \(Set(counts.keys).subtracting(ids).count)"
        )
        #expect(counts.values.allSatisfy { $0 == 1 }, "\(what): applied twice: \(counts.filter { $0.value > 1 }.count)")
    }

    // MARK: 3. Crash points

    @Test func crashBetweenCommitAndAckHasNoSecondEffectDownstream() async throws {
        let upstream = try await PassthroughFleet.make("crash-commit")
        let downstream = try await Self.downstream(of: upstream, "crash-commit-down")
        let crashing = try Self.worker(upstream, ["CONCIERGE_FAULT_CRASH_AFTER_COMMIT": upstream.messageID(150)])
        let consumer = try Self.worker(downstream)
        defer { consumer.process.terminate() }
        try await upstream.waitForConsumers()
        try await downstream.waitForConsumers()
        let ids = try await upstream.publish(0..<300)

        #expect(await crashing.process.waitForExit(timeout: .seconds(60)), "the crash hook did not fire")
        #expect(crashing.process.terminationReason == .uncaughtSignal)
        // The fault hit in-flight work: the batch of 150 committed, and was never acked.
        #expect(try await upstream.appliedCounts()[upstream.messageID(150)] == 1)

        let restarted = try Self.worker(upstream)
        defer { restarted.process.terminate() }
        try await upstream.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        try await downstream.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        try await Task.sleep(for: .seconds(2))
        try await Self.expectExactlyOnce(upstream, ids, "upstream")
        try await Self.expectExactlyOnce(downstream, ids, "downstream")
        // The committed batch came back to the new worker, which skipped it through the inbox.
        #expect(await Self.metric(restarted.port, "concierge_redeliveries_total") > 0)
        #expect(await Self.metric(restarted.port, "concierge_messages_total", ["outcome": "duplicate"]) > 0)
        await upstream.tearDown()
        await downstream.tearDown()
    }

    @Test func crashBetweenConfirmAndMarkingSentHasNoSecondEffectDownstream() async throws {
        let upstream = try await PassthroughFleet.make("crash-confirm")
        let downstream = try await Self.downstream(of: upstream, "crash-confirm-down")
        let crashing = try Self.worker(upstream, ["CONCIERGE_FAULT_CRASH_AFTER_CONFIRM": upstream.messageID(150)])
        let consumer = try Self.worker(downstream)
        defer { consumer.process.terminate() }
        try await upstream.waitForConsumers()
        try await downstream.waitForConsumers()
        let ids = try await upstream.publish(0..<300)

        #expect(await crashing.process.waitForExit(timeout: .seconds(60)), "the crash hook did not fire")
        #expect(crashing.process.terminationReason == .uncaughtSignal)
        let restarted = try Self.worker(upstream)
        defer { restarted.process.terminate() }
        try await upstream.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        try await downstream.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        // Wait for the sweep to republish the rows confirmed but never marked sent (their claim must expire first).
        let deadline = ContinuousClock.now + .seconds(90)
        var duplicates = 0.0
        while duplicates == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            duplicates = await Self.metric(consumer.port, "concierge_messages_total", ["outcome": "duplicate"])
        }
        // The fault hit in-flight work: the downstream consumer received a confirmed row a second time, and skipped it.
        #expect(duplicates > 0, "nothing was published twice: the crash did not land between confirm and mark")
        try await Self.expectExactlyOnce(upstream, ids, "upstream")
        try await Self.expectExactlyOnce(downstream, ids, "downstream")
        await upstream.tearDown()
        await downstream.tearDown()
    }

    // MARK: 5. Transient failures that end

    @Test func transientFailureTwiceThenSuccessIsAppliedOnce() async throws {
        let fleet = try await PassthroughFleet.make("flaky")
        let worker = try Self.worker(
            fleet, ["CONCIERGE_PASSTHROUGH_FLAKY_ON": "flaky", "CONCIERGE_PASSTHROUGH_FLAKY_TIMES": "2"])
        defer { worker.process.terminate() }
        try await fleet.waitForConsumers()
        var ids = try await fleet.publish([0], payload: { _ in "flaky" })
        ids += try await fleet.publish(1...20)
        try await fleet.waitForApplied(atLeast: ids.count, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(500))
        try await Self.expectExactlyOnce(fleet, ids, "flaky")
        // Applied on its third attempt: the handler only lets it through with x-concierge-retries = 2, so the header
        // counted both tiers (200 ms, 400 ms) as documented.
        #expect(await Self.metric(worker.port, "concierge_messages_total", ["outcome": "retried"]) == 2)
        #expect(await Self.metric(worker.port, "concierge_messages_total", ["outcome": "dead_lettered"]) == 0)
        #expect(
            await Self.metric(worker.port, "concierge_messages_total", ["outcome": "processed"]) == Double(ids.count))
        #expect(try await fleet.ownDeadLetters(for: .seconds(1)).isEmpty)
        await fleet.tearDown()
    }

    // MARK: 4. A handler slower than the heartbeat

    @Test func handlerSlowerThanTheHeartbeatKeepsItsConnection() async throws {
        let fleet = try await PassthroughFleet.make("slow")
        let worker = try Self.worker(
            fleet,
            [
                "AMQP_HEARTBEAT_SECONDS": "1", "CONCIERGE_PASSTHROUGH_SLOW_ON": "slow",
                "CONCIERGE_PASSTHROUGH_SLOW_MS": "6000",
            ]
        )
        defer { worker.process.terminate() }
        try await fleet.waitForConsumers()
        var ids = try await fleet.publish([0], payload: { _ in "slow" })
        ids += try await fleet.publish(1...20)
        try await fleet.waitForApplied(atLeast: ids.count, timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(500))
        try await Self.expectExactlyOnce(fleet, ids, "slow")
        // Six missed heartbeats' worth inside one transaction, and the broker kept the connection: nothing came back.
        #expect(await Self.metric(worker.port, "concierge_redeliveries_total") == 0)
        #expect(await Self.metric(worker.port, "concierge_messages_total", ["outcome": "duplicate"]) == 0)
        #expect(try await fleet.publisher.queueStatus(fleet.input)?.consumerCount == 1)
        await fleet.tearDown()
    }

    // MARK: 2. A hung worker

    @Test func hungWorkerLosesItsMessagesToAnotherAndDoublesNothing() async throws {
        let fleet = try await PassthroughFleet.make("hung")
        let environment = [
            "AMQP_HEARTBEAT_SECONDS": "1", "CONCIERGE_PASSTHROUGH_SLOW_ON": "slow",
            "CONCIERGE_PASSTHROUGH_SLOW_MS": "3000",
        ]
        let hung = try Self.worker(fleet, environment)
        defer { hung.process.terminate() }
        try await fleet.waitForConsumers()
        var ids = try await fleet.publish(0..<50)
        try await fleet.waitForApplied(atLeast: 50)
        // A slow batch, then more messages behind it in the prefetch window: freeze the worker in the middle.
        ids += try await fleet.publish([50], payload: { _ in "slow" })
        ids += try await fleet.publish(51..<300)
        try await Task.sleep(for: .seconds(1))
        hung.process.kill(signal: SIGSTOP)
        let other = try Self.worker(fleet, environment)
        defer { other.process.terminate() }
        // The broker closes the hung worker's connection on missed heartbeats and gives its messages to the other.
        try await fleet.waitForConsumers(1, timeout: .seconds(30))
        let deadline = ContinuousClock.now + .seconds(60)
        var redelivered = 0.0
        while redelivered == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            redelivered = await Self.metric(other.port, "concierge_redeliveries_total")
        }
        #expect(redelivered > 0, "the other worker never received the hung worker's messages")
        try await Task.sleep(for: .seconds(5))
        hung.process.kill(signal: SIGCONT)
        try await fleet.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        try await Task.sleep(for: .seconds(5))  // the woken worker finishes (or drops) what it held
        try await Self.expectExactlyOnce(fleet, ids, "hung")
        #expect(hung.process.isRunning && other.process.isRunning)
        await fleet.tearDown()
    }

    // MARK: 8. SIGTERM mid-batch, SIGKILL after the grace period

    /// A batch is inside its transaction (a slow message: 8 s) when the worker gets SIGTERM; the grace period (2 s) ends
    /// before the batch does, so the worker is then killed as an orchestrator would (SIGKILL). The batch's transaction
    /// never commits; another worker takes its messages (and those prefetched behind it) and applies each once.
    @Test func sigkillAfterTheGracePeriodMidBatchLosesNothing() async throws {
        let fleet = try await PassthroughFleet.make("grace")
        let environment = [
            "CONCIERGE_PASSTHROUGH_SLOW_ON": "slow", "CONCIERGE_PASSTHROUGH_SLOW_MS": "8000",
            "SHUTDOWN_GRACE_SECONDS": "2",
            "WORKER_BATCH_SIZE": "20",
        ]
        let first = try Self.worker(fleet, environment)
        defer { first.process.terminate() }
        try await fleet.waitForConsumers()
        var ids = try await fleet.publish(0..<50)
        try await fleet.waitForApplied(atLeast: 50)
        let slow = try await fleet.publish([50], payload: { _ in "slow" })
        ids += slow
        ids += try await fleet.publish(51..<200)
        // The slow batch is in flight: received, not acknowledged, not applied.
        var inFlight = 0.0
        let deadline = ContinuousClock.now + .seconds(10)
        while inFlight == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            inFlight = await Self.metric(first.port, "concierge_in_flight_messages")
        }
        #expect(inFlight > 0, "no batch was in flight")
        try await Task.sleep(for: .seconds(1))
        #expect(try await fleet.appliedCounts()[slow[0]] == nil, "the slow message was applied before the signal")

        first.process.terminate()  // SIGTERM
        try await Task.sleep(for: .seconds(3))  // the grace period (2 s) is over; the slow batch (8 s) is not
        let killed = first.process.isRunning
        if killed { first.process.kill(signal: SIGKILL) }
        first.process.waitUntilExit()
        print(
            "[fault] SIGTERM mid-batch: \(killed ? "still running after the grace period, killed" : "exited on its own (status \(first.process.terminationStatus))")"
        )
        #expect(try await fleet.appliedCounts()[slow[0]] == nil, "the slow batch committed before the kill")

        let second = try Self.worker(fleet, environment)
        defer { second.process.terminate() }
        try await fleet.waitForApplied(atLeast: ids.count, timeout: .seconds(90))
        try await Task.sleep(for: .milliseconds(500))
        try await Self.expectExactlyOnce(fleet, ids, "grace")
        #expect(
            await Self.metric(second.port, "concierge_redeliveries_total") > 0, "the second worker got nothing back")
        await fleet.tearDown()
    }
}
