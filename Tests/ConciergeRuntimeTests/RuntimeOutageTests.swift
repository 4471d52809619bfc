import ConciergeTesting
import Foundation
import Testing

/// A running worker survives a broker restart and a database restart: afterwards every published message is applied
/// exactly once. These restart shared services, so `scripts/test` runs them in a separate, serialized pass.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct RuntimeOutageTests {
    @Test func workerSurvivesBrokerAndDatabaseRestartsLosingNothing() async throws {
        let fleet = try await PassthroughFleet.make("outage")
        let worker = try fleet.startWorker()
        defer { worker.terminate() }
        try await fleet.waitForConsumers()
        var confirmed = try await fleet.publish(0..<1000)

        // Broker outage while the worker is busy.
        try await fleet.waitForApplied(atLeast: 100)
        try await Self.run("/usr/sbin/rabbitmqctl", "stop_app")
        try await Task.sleep(for: .seconds(2))
        try await Self.run("/usr/sbin/rabbitmqctl", "start_app")
        try await Self.run("/usr/sbin/rabbitmqctl", "await_startup")
        try await fleet.waitForConsumers(timeout: .seconds(90))
        #expect(worker.isRunning)
        confirmed += try await fleet.publish(1000..<2000)

        // Database outage while messages are in flight.
        try await Self.run("/usr/bin/pg_ctlcluster", "15", "main", "restart")
        confirmed += try await fleet.publish(2000..<3000)

        let copies = try await fleet.drainSink(expected: confirmed.count, timeout: .seconds(180))
        #expect(copies.isSuperset(of: confirmed))
        let counts = try await fleet.appliedCounts()
        #expect(Set(counts.keys) == Set(confirmed), "lost: \(Set(confirmed).subtracting(counts.keys).count)")
        #expect(counts.values.allSatisfy { $0 == 1 }, "applied twice: \(counts.filter { $0.value > 1 }.count)")
        #expect(worker.isRunning)
        await fleet.tearDown()
    }

    static func run(_ arguments: String...) async throws {
        let status = await TestServices.run(arguments)
        guard status == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) exited \(status)") }
    }
}
