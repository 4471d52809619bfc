public import ConciergeAMQP
public import ConciergeCore
public import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
public import Foundation
public import Logging
import Synchronization

/// A private world for one runtime test: its own input and sink queues, a queue that collects the dead letters of
/// its messages, pass-through worker processes (`conciergectl worker passthrough`) it can start, kill and signal, and
/// the queries that check what was applied.
public final class PassthroughFleet: Sendable {
    public let id: String
    public let input: String
    public let sink: String
    public let deadLetters: String
    public let outputKey: String
    public let workerName: String
    public let logger: Logger
    public let publisher: AMQPPublisher
    public let database: PostgresConnection
    let amqpConfiguration: AMQPConfiguration
    /// The database of the fleet's workers.
    public let postgresURL: String
    /// The broker (or cluster) of the fleet's workers.
    public let amqpURL: String
    /// What the fleet declared: its input queue with the retry plumbing, the sink, the dead-letter collector.
    public let topology: AMQPTopology
    /// Workers started by `startWorker`, stopped by `tearDown`.
    private let workers = Mutex<[Process]>([])

    /// `postgresURL`, `amqpURL`: the services the fleet and its workers use (a fault suite's private instances, say;
    /// `amqpURL` may list the nodes of a cluster, separated by commas).
    public static func make(
        _ label: String, postgresURL: String = TestServices.postgresURL, amqpURL: String = TestServices.amqpURL
    ) async throws -> PassthroughFleet {
        let logger = Logger(label: "test.\(label)")
        let amqp = try AMQPConfiguration(url: amqpURL, connectionName: "test-\(label)")
        let postgres = try PostgresConfiguration(url: postgresURL, applicationName: "test-\(label)")
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        let database = try await PostgresConnection.connect(configuration: postgres, logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        return try await PassthroughFleet(
            label: label, amqp: amqp, amqpURL: amqpURL, postgresURL: postgresURL, publisher: publisher,
            database: database,
            logger: logger
        )
    }

    init(
        label: String, amqp: AMQPConfiguration, amqpURL: String, postgresURL: String, publisher: AMQPPublisher,
        database: PostgresConnection, logger: Logger
    ) async throws {
        let id = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        self.id = id
        self.input = "test.\(label).\(id).in"
        self.sink = "test.\(label).\(id).out"
        self.deadLetters = "test.\(label).\(id).dead"
        self.outputKey = "test.\(id)"
        self.workerName = "test-\(label)-\(id)"
        self.logger = logger
        self.publisher = publisher
        self.database = database
        self.amqpConfiguration = amqp
        self.postgresURL = postgresURL
        self.amqpURL = amqpURL
        var topology = FleetTopology(retryTiers: Self.retryTiers).workerQueue(self.input)
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        topology.queues.append(.init(name: self.sink, arguments: ["x-queue-type": .string("quorum")]))
        topology.queues.append(.init(name: self.deadLetters, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings.append(
            .init(queue: self.sink, exchange: FleetNames.outcomesExchange, routingKey: self.outputKey))
        topology.bindings.append(
            .init(queue: self.deadLetters, exchange: FleetNames.deadLetterExchange, routingKey: ""))
        self.topology = topology
        try await publisher.declare(topology)
    }

    /// Short tiers so retry tests finish quickly.
    public static let retryTiers = RetryTiers(delays: [.milliseconds(200), .milliseconds(400)])

    public func messageID(_ sequence: Int) -> String { "\(self.id)-\(sequence)" }

    // MARK: Workers

    /// Starts a pass-through worker process on the input queue; `log`: a file for its standard error.
    public func startWorker(environment extra: [String: String] = [:], log: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = TestServices.executable("conciergectl")
        process.arguments = [
            "worker", "passthrough", "--queue", self.input, "--name", self.workerName, "--output-key", self.outputKey,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = self.amqpURL
        environment["POSTGRES_URL"] = self.postgresURL
        environment["HTTP_PORT"] = "0"
        environment["LOG_LEVEL"] = environment["TEST_WORKER_LOG_LEVEL"] ?? "warning"
        environment["RETRY_DELAYS_MS"] = "200,400"
        environment["WORKER_BATCH_SIZE"] = environment["WORKER_BATCH_SIZE"] ?? "200"
        environment["WORKER_PREFETCH"] = environment["WORKER_PREFETCH"] ?? "400"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        if let log {
            // A file that cannot be created fails the `FileHandle` below.
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
        }
        try process.run()
        self.workers.withLock { $0.append(process) }
        return process
    }

    /// Waits until `count` consumers are attached to the input queue.
    public func waitForConsumers(_ count: UInt32 = 1, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await self.publisher.queueStatus(self.input)?.consumerCount ?? 0 < count {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("no consumer on \(self.input) after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: Publishing

    /// Publishes pass-through messages; returns the ids the broker confirmed.
    @discardableResult
    public func publish(
        _ sequences: some Sequence<Int>, payload: (Int) -> String = { _ in "ok" }, idOf: ((Int) -> String)? = nil
    ) async throws -> [String] {
        var confirmed: [String] = []
        let all = Array(sequences)
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = all[start..<min(start + 500, all.count)]
            let messages = chunk.map { sequence in
                let id = idOf?(sequence) ?? self.messageID(sequence)
                let body = PassthroughV1(
                    messageID: id, sequence: sequence, sentAtNanoseconds: 0, payload: payload(sequence))
                return self.raw(body.encodedBody(), messageID: id)
            }
            let outcomes = try await self.publisher.publish(messages)
            for (message, outcome) in zip(messages, outcomes) where outcome == .confirmed {
                confirmed.append(message.properties.messageId!)
            }
        }
        return confirmed
    }

    /// A raw message for the input queue.
    public func raw(_ body: [UInt8], messageID: String?) -> AMQPMessage {
        AMQPMessage(
            exchange: "", routingKey: self.input, body: body,
            properties: AMQPProperties(contentType: "application/json", persistent: true, messageId: messageID)
        )
    }

    // MARK: Observing

    /// Consumes the sink until `expected` distinct ids arrived or `timeout`; returns the distinct ids seen.
    /// (Duplicate deliveries are expected after a crash: at-least-once publishing.)
    public func drainSink(expected: Int, timeout: Duration = .seconds(120)) async throws -> Set<String> {
        let deliveries = try await self.drain(
            queue: self.sink, until: { Set($0.map { $0.properties.messageId ?? "" }).count >= expected },
            timeout: timeout
        )
        return Set(deliveries.map { $0.properties.messageId ?? "" })
    }

    /// Consumes this test's dead letters until `until` holds or `timeout`. The fleet's dead-letter queue is bound to
    /// the shared dead-letter exchange, so it also receives other suites' dead letters: those are acked and left out.
    public func drainDeadLetters(until: @escaping @Sendable ([AMQPDelivery]) -> Bool, timeout: Duration = .seconds(60))
        async throws -> [AMQPDelivery]
    {
        try await self.drain(queue: self.deadLetters, until: until, timeout: timeout, keep: self.isOwnDeadLetter)
    }

    /// A dead letter of this fleet: one of its message ids, or (a message without an id) dead-lettered from its
    /// input queue.
    public func isOwnDeadLetter(_ delivery: AMQPDelivery) -> Bool {
        if (delivery.properties.messageId ?? "").hasPrefix("\(self.id)-") { return true }
        return delivery.properties.headers[FleetNames.Headers.queue] == .string(self.input)
            || delivery.routingKey == self.input
    }

    func drain(
        queue: String, until: @Sendable ([AMQPDelivery]) -> Bool, timeout: Duration,
        keep: (AMQPDelivery) -> Bool = { _ in true }
    ) async throws -> [AMQPDelivery] {
        let consumer = try await AMQPConsumer.connect(
            configuration: self.amqpConfiguration, queue: queue, prefetch: 1000, topology: .init(), logger: self.logger
        )
        var seen: [AMQPDelivery] = []
        let deadline = ContinuousClock.now + timeout
        while !until(seen) && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 1000, timeout: .milliseconds(300))
            seen += deliveries.filter(keep)
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        await consumer.close()
        return seen
    }

    /// Dead letters of this fleet's messages (the fleet's dead-letter queue is bound to the shared dead-letter
    /// exchange, so it also sees other runs' dead letters: they are acked and left out). Drains for `duration`.
    public func ownDeadLetters(for duration: Duration) async throws -> [AMQPDelivery] {
        try await self.drain(
            queue: self.deadLetters, until: { _ in false }, timeout: duration, keep: self.isOwnDeadLetter)
    }

    /// How many times each message id was applied (rows in `passthrough_log`).
    public func appliedCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await self.database.query(
            "SELECT message_id, count(*) AS applied FROM passthrough_log WHERE consumer = $1 GROUP BY message_id",
            [self.workerName]
        ) {
            counts[try row.decode(String.self, named: "message_id")] = try row.decode(Int.self, named: "applied")
        }
        return counts
    }

    public func appliedTotal() async throws -> Int {
        try await self.database.query(
            "SELECT count(*) AS applied FROM passthrough_log WHERE consumer = $1", [self.workerName]
        )
        .single().decode(Int.self, named: "applied")
    }

    /// Waits until at least `count` rows were applied.
    public func waitForApplied(atLeast count: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await self.appliedTotal() < count {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("fewer than \(count) applied after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the fleet's workers that are still running (SIGTERM, then SIGKILL after 20 s), then deletes its queues:
    /// a running worker would declare its deleted input queue again when the broker cancels its consumer.
    public func tearDown() async {
        let workers = self.workers.withLock { $0 }.filter(\.isRunning)
        for worker in workers { worker.terminate() }
        for worker in workers where await !worker.waitForExit(timeout: .seconds(20)) { worker.kill(signal: SIGKILL) }
        for queue in [self.input, self.sink, self.deadLetters] { try? await self.publisher.deleteQueue(queue) }
        await self.publisher.close()
        await self.database.close()
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Process {
    /// Waits for the process to exit, at most `timeout`; returns false if it is still running.
    public func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while self.isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    public func kill(signal: Int32) {
        _ = Foundation.kill(self.processIdentifier, signal)
    }
}
