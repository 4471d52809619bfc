import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeTesting
import Foundation
import Testing

/// The runtime's guarantees, checked with real worker processes against the real broker and database.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct WorkerRuntimeTests {
    @Test func duplicateAppliedOnce() async throws {
        let fleet = try await PassthroughFleet.make("dup")
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        // The same message id three times, plus a marker message after them.
        try await fleet.publish([1, 1, 1], idOf: { _ in fleet.messageID(1) })
        try await fleet.publish([2])
        let copies = try await fleet.drainSink(expected: 2)
        #expect(copies == [fleet.messageID(1), fleet.messageID(2)])
        let counts = try await fleet.appliedCounts()
        #expect(counts == [fleet.messageID(1): 1, fleet.messageID(2): 1])
        await fleet.tearDown()
    }

    @Test func badInputIsDeadLetteredWithReason() async throws {
        let fleet = try await PassthroughFleet.make("bad")
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        let cases: [(id: String, body: String, reason: String)] = [
            ("\(fleet.id)-json", "{not json", "malformed_json"),
            (
                "\(fleet.id)-schema",
                #"{"schema":"passthrough.v1","message_id":"\#(fleet.id)-schema","sequence":"one"}"#, "schema_violation"
            ),
            (
                "\(fleet.id)-version", #"{"schema":"passthrough.v7","message_id":"\#(fleet.id)-version"}"#,
                "unknown_schema"
            ),
            (
                "\(fleet.id)-big",
                "{\"schema\":\"passthrough.v1\",\"pad\":\"\(String(repeating: "x", count: 70_000))\"}", "oversized"
            ),
        ]
        let messages =
            cases.map { fleet.raw(Array($0.body.utf8), messageID: $0.id) }
            + [fleet.raw(Array(#"{"schema":"passthrough.v1"}"#.utf8), messageID: nil)]
        let outcomes = try await fleet.publisher.publish(messages)
        #expect(outcomes.allSatisfy { $0 == .confirmed })
        try await fleet.publish(0..<20)

        let dead = try await fleet.drainDeadLetters(until: { $0.count >= 5 })
        var reasons: [String: String] = [:]
        for delivery in dead {
            if case .string(let reason) = delivery.properties.headers[FleetNames.Headers.reason] {
                reasons[delivery.properties.messageId ?? "none"] = reason
            }
            #expect(delivery.properties.headers[FleetNames.Headers.queue] == .string(fleet.input))
        }
        for item in cases { #expect(reasons[item.id] == item.reason, "\(item.id)") }
        #expect(reasons["none"] == "missing_message_id")
        // Good messages keep flowing, and nothing bad was applied.
        let copies = try await fleet.drainSink(expected: 20)
        #expect(copies.count == 20)
        #expect(try await fleet.appliedTotal() == 20)
        // Nothing loops: the input queue is empty.
        #expect(try await fleet.publisher.queueStatus(fleet.input)?.messageCount == 0)
        await fleet.tearDown()
    }

    @Test func transientFailureRetriesThroughTiersThenDeadLetters() async throws {
        let fleet = try await PassthroughFleet.make("retry")
        let worker = try fleet.startWorker(environment: ["CONCIERGE_PASSTHROUGH_FAIL_ON": "flaky"])
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        try await fleet.publish([0], payload: { _ in "flaky" })
        try await fleet.publish(1...10)
        let dead = try await fleet.drainDeadLetters(until: { !$0.isEmpty }, timeout: .seconds(30))
        let letter = try #require(dead.first)
        #expect(letter.properties.messageId == fleet.messageID(0))
        #expect(letter.properties.headers[FleetNames.Headers.reason] == .string("retries_exhausted"))
        #expect(letter.properties.headers[FleetNames.Headers.retries] == .int(2))
        #expect(try await fleet.drainSink(expected: 10).count == 10)
        #expect(try await fleet.appliedCounts()[fleet.messageID(0)] == nil)
        await fleet.tearDown()
    }

    @Test func killedWorkerLosesNothing() async throws {
        let fleet = try await PassthroughFleet.make("kill")
        let total = 4000
        let first = try fleet.startWorker()
        try await fleet.waitForConsumers()
        let confirmed = try await fleet.publish(0..<total)
        #expect(confirmed.count == total)
        // kill -9 in the middle of the stream (and most likely of a batch).
        try await fleet.waitForApplied(atLeast: total / 5)
        first.kill(signal: SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(10)))
        let applied = try await fleet.appliedTotal()
        #expect(applied < total, "the worker finished before it was killed; the test proves nothing")

        let second = try fleet.startWorker()
        defer { second.terminate() }
        let copies = try await fleet.drainSink(expected: total)
        #expect(copies == Set(confirmed))
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(confirmed), "lost: \(Set(confirmed).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
        await fleet.tearDown()
    }

    @Test func poisonMessageIsDeadLetteredWhileOthersFlow() async throws {
        let fleet = try await PassthroughFleet.make("poison")
        let environment = ["CONCIERGE_PASSTHROUGH_CRASH_ON": "poison"]
        var worker = try fleet.startWorker(environment: environment)
        try await fleet.waitForConsumers()
        try await fleet.publish(0..<300, payload: { $0 == 150 ? "poison" : "ok" })
        // Like an orchestrator: restart the worker whenever it dies, until the poison is dead-lettered.
        let deadline = ContinuousClock.now + .seconds(120)
        var restarts = 0
        var dead: [AMQPDelivery] = []
        while dead.isEmpty && ContinuousClock.now < deadline {
            if !worker.isRunning {
                restarts += 1
                worker = try fleet.startWorker(environment: environment)
            }
            dead = try await fleet.drainDeadLetters(until: { !$0.isEmpty }, timeout: .milliseconds(500))
        }
        defer { worker.terminate() }
        let letter = try #require(dead.first)
        #expect(letter.properties.messageId == fleet.messageID(150))
        #expect(letter.properties.headers[FleetNames.Headers.reason] == .string("poison_message"))
        #expect(restarts >= 1)
        let copies = try await fleet.drainSink(expected: 299)
        #expect(copies.count == 299)
        let counts = try await fleet.appliedCounts()
        #expect(counts.count == 299 && counts.values.allSatisfy { $0 == 1 })
        await fleet.tearDown()
    }

    @Test func sigtermUnderLoadExitsCleanlyLosingNothing() async throws {
        let fleet = try await PassthroughFleet.make("term")
        let total = 4000
        let worker = try fleet.startWorker()
        try await fleet.waitForConsumers()
        let confirmed = try await fleet.publish(0..<total)
        try await fleet.waitForApplied(atLeast: total / 5)
        worker.terminate()  // SIGTERM
        #expect(await worker.waitForExit(timeout: .seconds(30)))
        #expect(worker.terminationReason == .exit)
        #expect(worker.terminationStatus == 0)
        // Nothing unacked left behind: every message is either applied or ready in the queue again.
        let applied = try await fleet.appliedTotal()
        var ready: UInt32 = 0
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            ready = try await fleet.publisher.queueStatus(fleet.input)?.messageCount ?? 0
            if Int(ready) + applied == total { break }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        #expect(Int(ready) + applied == total, "ready \(ready) + applied \(applied) != \(total)")
        // The worker published what it wrote before exiting, and marked it sent (batch transactions mark what the
        // broker confirmed earlier; the relay marks the last confirms itself).
        let unsent = try await fleet.database.query(
            "SELECT count(*) FROM outbox WHERE producer = $1 AND sent_at IS NULL", [fleet.workerName]
        ).single().decode(Int.self, named: "count")
        let written = try await fleet.database.query(
            "SELECT count(*) FROM outbox WHERE producer = $1", [fleet.workerName]
        )
        .single().decode(Int.self, named: "count")
        #expect(written == applied)
        #expect(unsent == 0)

        let second = try fleet.startWorker()
        defer { second.terminate() }
        #expect(try await fleet.drainSink(expected: total) == Set(confirmed))
        let counts = try await fleet.appliedCounts()
        #expect(counts.count == total && counts.values.allSatisfy { $0 == 1 })
        await fleet.tearDown()
    }

    @Test func staleOutboxRowsArePublishedBySweep() async throws {
        let fleet = try await PassthroughFleet.make("sweep")
        // A row whose writer (a replica of this worker, same name) died before publishing it: unsent, claim expired.
        // And one of another kind of worker: this worker's AMQP user may not be allowed to publish it, so it is left
        // to that kind's replicas.
        let id = fleet.messageID(7)
        let foreign = fleet.messageID(8)
        for (message, producer) in [(id, fleet.workerName), (foreign, "\(fleet.workerName)-other-kind")] {
            let body = PassthroughV1(messageID: message, sequence: 7, sentAtNanoseconds: 0, payload: "orphan")
            _ = try await fleet.database.query(
                """
                INSERT INTO outbox (message_id, exchange, routing_key, message_type, body, mandatory, producer, claimed_until)
                VALUES ($1, $2, $3, 'passthrough.v1', $4, true, $5, now() - interval '1 second')
                """,
                [
                    message, FleetNames.outcomesExchange, fleet.outputKey,
                    String(decoding: body.encodedBody(), as: UTF8.self), producer,
                ]
            )
        }
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        #expect(try await fleet.drainSink(expected: 1, timeout: .seconds(30)) == [id])
        // The relay marks the row sent right after the broker's confirm; the copy can arrive first.
        var sent = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !sent && ContinuousClock.now < deadline {
            sent =
                try await fleet.database.query(
                    "SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE message_id = $1", [id]
                ).first?.decode(Bool.self, named: "sent") ?? false
            if !sent { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(sent)
        #expect(
            try await fleet.database.query(
                "SELECT sent_at IS NULL AS unsent FROM outbox WHERE message_id = $1", [foreign]
            ).single().decode(Bool.self, named: "unsent"))
        _ = try await fleet.database.query("DELETE FROM outbox WHERE message_id = $1", [foreign])
        await fleet.tearDown()
    }
}
