public import ConciergeAMQP
import ConciergeRuntime
import Foundation

/// A worker executable (`concierge-classifier`, …) running as a child process for a test, against a virtual host of
/// the broker where it consumes the fleet's fixed queue names away from other suites (`amqpURL`: by default
/// `TestServices.isolatedAMQPURL`; suites that may run at the same time need hosts of their own, see
/// `scripts/services`) and the test database, with its health and metrics on a free port.
/// `@unchecked Sendable`: `Process` is safe to signal and wait for from any thread; nothing else is mutable.
public final class WorkerProcess: @unchecked Sendable {
    public let port: Int
    private let process: Process

    /// Starts `executable` with the test services and `environment` (e.g. `RESPONDER_PRODUCERS`).
    public init(
        _ executable: String, amqpURL: String = TestServices.isolatedAMQPURL, environment extra: [String: String] = [:]
    ) throws {
        let port = HTTPProbe.freePort()
        let process = Process()
        process.executableURL = TestServices.executable(executable)
        process.currentDirectoryURL = URL(fileURLWithPath: TestServices.repositoryFile("."))
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = amqpURL
        environment["POSTGRES_URL"] = TestServices.postgresURL
        environment["HTTP_HOST"] = "127.0.0.1"
        environment["HTTP_PORT"] = "\(port)"
        environment["LOG_LEVEL"] = environment["TEST_WORKER_LOG_LEVEL"] ?? "warning"
        process.environment = environment.merging(extra) { $1 }
        try process.run()
        self.port = port
        self.process = process
    }

    public var isRunning: Bool { self.process.isRunning }

    /// Waits (at most a minute) until the worker consumes `queue`.
    public func waitUntilConsuming(_ queue: String, publisher: AMQPPublisher) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await publisher.queueStatus(queue)?.consumerCount ?? 0 < 1 {
            guard ContinuousClock.now < deadline, self.isRunning else {
                throw TestFailure("the worker did not start consuming \(queue)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The worker's `/metrics` once `settled` holds on them (at most a minute), read again half a second later so
    /// that counters recorded after the last commit are in.
    public func metrics(settledWhen settled: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if settled(await HTTPProbe.get(port: self.port, path: "/metrics")?.body ?? "") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .milliseconds(500))
        return await HTTPProbe.get(port: self.port, path: "/metrics")?.body ?? ""
    }

    /// SIGTERM, then waits for the exit.
    public func stop() {
        self.process.terminate()
        self.process.waitUntilExit()
    }
}
