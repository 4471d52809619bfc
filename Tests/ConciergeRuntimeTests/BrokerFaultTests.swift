import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Synchronization
import Testing

/// Fault tests 2 (a hung broker) and 10 (losing the node that leads the fleet's queues in a three-node cluster) of
/// issue 14, on the private RabbitMQ nodes of `scripts/fault-services`. Lost = 0 and applied twice = 0 under load
/// that runs through the fault, and the worker's counters say so (fault test 9).
@Suite(.serialized, .enabled(if: FaultServices.enabled))
struct BrokerFaultTests {
    /// Publishes 20 messages every 200 ms until stopped, each chunk again until the broker confirms it (the same ids:
    /// at-least-once publishing, deduplicated by the worker's inbox). Returns the confirmed ids.
    final class Load: Sendable {
        let confirmed = Mutex<[String]>([])
        let failures = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let lastError = Mutex<String>("")

        func run(_ fleet: PassthroughFleet) async {
            var sequence = 0
            while !self.stop.load(ordering: .relaxed) {
                let chunk = sequence..<(sequence + 20)
                do {
                    let messages = chunk.map { n in
                        fleet.raw(
                            PassthroughV1(
                                messageID: fleet.messageID(n), sequence: n, sentAtNanoseconds: 0, payload: "ok"
                            ).encodedBody(), messageID: fleet.messageID(n))
                    }
                    let outcomes = try await fleet.publisher.publish(messages)
                    guard outcomes.allSatisfy({ $0 == .confirmed }) else {
                        throw TestFailure("not all confirmed: \(Set(outcomes.map { "\($0)" }))")
                    }
                    self.confirmed.withLock { $0 += chunk.map(fleet.messageID) }
                    sequence += 20
                } catch {
                    self.failures.add(1, ordering: .relaxed)
                    self.lastError.withLock { $0 = "\(error)" }
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    static func expectExactlyOnce(_ fleet: PassthroughFleet, _ ids: [String]) async throws {
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(ids), "lost: \(Set(ids).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
    }

    /// The worker's counters after the fault: each id processed once (re-published chunks and redeliveries count as
    /// duplicates, not as processed), nothing dead-lettered or parked in a retry tier.
    static func expectCounters(port: Int, _ ids: [String]) async {
        let text = await HTTPProbe.get(port: port, path: "/metrics")?.body ?? ""
        #expect(
            PrometheusText.value(text, "concierge_messages_total", ["outcome": "processed"]) == Double(Set(ids).count))
        #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "dead_lettered"]) == 0)
        #expect(PrometheusText.value(text, "concierge_messages_total", ["outcome": "retried"]) == 0)
    }

    @Test func killedQueueLeaderLosesNothingAndDoublesNothing() async throws {
        let urls = try FaultServices.clusterURLs()
        let nodes = try FaultServices.clusterNodes()
        let fleet = try await PassthroughFleet.make("cluster", amqpURL: urls)
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cluster-\(fleet.id).log")
        let port = HTTPProbe.freePort()
        let worker = try fleet.startWorker(
            environment: [
                "LOG_LEVEL": "info", "AMQP_HEARTBEAT_SECONDS": "2", "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1",
            ], log: log
        )
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        let load = Load()
        let publishing = Task { await load.run(fleet) }
        try await fleet.waitForApplied(atLeast: 200)

        let leader = try await FaultServices.leader(ofQueue: fleet.input, via: nodes[0])
        let survivor = try #require(nodes.first { $0 != leader })
        let pid = try FaultServices.pid(ofNode: leader)
        let before = load.confirmed.withLock { $0.count }
        #expect(kill(pid, SIGKILL) == 0)
        print("[fault] killed \(leader) (pid \(pid)), the leader of \(fleet.input), with \(before) messages confirmed")
        // The queue gets a new leader on the survivors; the worker and the load move there.
        try await Task.sleep(for: .seconds(15))
        let newLeader = try await FaultServices.leader(ofQueue: fleet.input, via: survivor)
        #expect(newLeader != leader)
        let during = load.confirmed.withLock { $0.count }
        #expect(during > before, "nothing was confirmed while the node was down")
        try await FaultServices.startAgain()
        print(
            "[fault] \(leader) is back; new leader was \(newLeader); publish failures meanwhile: \(load.failures.load(ordering: .relaxed)), last: \(load.lastError.withLock { $0 })"
        )
        try await Task.sleep(for: .seconds(5))
        load.stop.store(true, ordering: .relaxed)
        await publishing.value
        let ids = load.confirmed.withLock { $0 }
        try await fleet.waitForApplied(atLeast: Set(ids).count, timeout: .seconds(120))
        try await Task.sleep(for: .seconds(2))
        try await Self.expectExactlyOnce(fleet, ids)
        await Self.expectCounters(port: port, ids)
        #expect(worker.isRunning)
        // The worker lost its connection to the killed node and reconnected to another one.
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("AMQP reconnected"), "the worker never reconnected")
        await fleet.tearDown()
    }

    @Test func hungBrokerIsNoticedThroughHeartbeatsAndLosesNothing() async throws {
        let url = try FaultServices.amqpURL()
        let node = try FaultServices.rabbitNode()
        let fleet = try await PassthroughFleet.make("hungbroker", amqpURL: url)
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hungbroker-\(fleet.id).log")
        let port = HTTPProbe.freePort()
        let worker = try fleet.startWorker(
            environment: [
                "LOG_LEVEL": "info", "AMQP_HEARTBEAT_SECONDS": "2", "HTTP_PORT": "\(port)", "HTTP_HOST": "127.0.0.1",
            ], log: log
        )
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        let load = Load()
        let publishing = Task { await load.run(fleet) }
        try await fleet.waitForApplied(atLeast: 200)

        let pid = try FaultServices.pid(ofNode: node)
        #expect(kill(pid, SIGSTOP) == 0)
        try await Task.sleep(for: .seconds(15))  // several heartbeat intervals
        #expect(kill(pid, SIGCONT) == 0)
        try await Task.sleep(for: .seconds(10))
        load.stop.store(true, ordering: .relaxed)
        await publishing.value
        let ids = load.confirmed.withLock { $0 }
        try await fleet.waitForApplied(atLeast: Set(ids).count, timeout: .seconds(120))
        try await Task.sleep(for: .seconds(2))
        try await Self.expectExactlyOnce(fleet, ids)
        await Self.expectCounters(port: port, ids)
        #expect(worker.isRunning)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("AMQP reconnected"), "the worker never noticed the hung broker")
        print(
            "[fault] hung broker: publish failures \(load.failures.load(ordering: .relaxed)); worker log mentions heartbeat: \(text.contains("heartbeat"))"
        )
        await fleet.tearDown()
    }
}
