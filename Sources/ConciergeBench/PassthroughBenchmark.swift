import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
public import ConciergeRuntime
public import Foundation
import Histogram
public import Logging

/// Pushes N messages through one pass-through worker process: consume → transaction with inbox + outbox → publish
/// with confirms → ack, on durable quorum queues, and prints messages/s and latency percentiles
/// (`conciergectl bench passthrough`).
///
/// Method: declare a fresh input queue and sink queue, start the pass-through worker as a child process, wait until it
/// consumes, publish N persistent messages with confirms (at `rate` per second, or as fast as possible), consume the
/// forwarded copies from the sink and record publish → sink latency (wall clock, same machine) in an HDR histogram.
/// Throughput is N / (last copy received − first publish).
public struct PassthroughBenchmark: Sendable {
    /// Messages to push.
    public var messages: Int
    /// Payload size in bytes.
    public var payloadBytes: Int
    /// Publish rate in messages per second (0 = as fast as possible).
    public var rate: Int
    /// Seconds to wait for all copies before giving up.
    public var timeout: Int
    /// The executable whose `worker passthrough` subcommand runs the worker: conciergectl itself.
    public var workerExecutable: URL

    public init(messages: Int, payloadBytes: Int, rate: Int, timeout: Int, workerExecutable: URL) {
        self.messages = messages
        self.payloadBytes = payloadBytes
        self.rate = rate
        self.timeout = timeout
        self.workerExecutable = workerExecutable
    }

    /// Runs the benchmark and prints its figures; returns whether every copy came back.
    ///
    /// - Throws: ``BenchError`` when the worker does not start consuming or a publish is not confirmed.
    public func run(configuration: FleetConfiguration, logger: Logger) async throws -> Bool {
        let amqp = try configuration.amqp(connectionName: "conciergectl-bench")
        let runID = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let input = "bench.\(runID).in"
        let sink = "bench.\(runID).out"
        let key = "bench.\(runID)"
        let workerName = "bench-\(runID)"

        var topology = configuration.topology.workerQueue(input)
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        topology.queues.append(.init(name: sink, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings.append(.init(queue: sink, exchange: FleetNames.outcomesExchange, routingKey: key))
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        try await publisher.declare(topology)

        let worker = try self.spawnWorker(queue: input, name: workerName, outputKey: key)
        defer { if worker.isRunning { worker.terminate() } }
        print(
            "bench passthrough: \(self.messages) messages of \(self.payloadBytes) bytes, rate \(self.rate == 0 ? "max" : "\(self.rate)/s"), worker pid \(worker.processIdentifier)"
        )
        // Wait until the worker consumes.
        let startDeadline = ContinuousClock.now + .seconds(60)
        while try await publisher.queueStatus(input)?.consumerCount ?? 0 == 0 {
            guard ContinuousClock.now < startDeadline, worker.isRunning else {
                throw BenchError("worker did not start consuming")
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: sink, prefetch: 2000, topology: topology, logger: logger)
        let payload = String(repeating: "x", count: self.payloadBytes)
        let total = self.messages
        let rate = self.rate
        let started = ContinuousClock.now
        let publishTask = Task {
            try await BenchSupport.publishPaced(total: total, rate: rate, maximumBatch: 500, publisher: publisher) {
                range in
                range.map { sequence in
                    let body = PassthroughV1(
                        messageID: "\(runID)-\(sequence)", sequence: sequence,
                        sentAtNanoseconds: Self.wallClockNanoseconds(), payload: payload)
                    return AMQPMessage(
                        exchange: "", routingKey: input, body: body.encodedBody(),
                        properties: AMQPProperties(
                            contentType: "application/json", persistent: true, messageId: body.messageID,
                            type: PassthroughV1.schema.rawValue)
                    )
                }
            }
            return ContinuousClock.now
        }

        var histogram = BenchSupport.latencyHistogram()
        var seen = Set<Int>()
        var duplicates = 0
        let deadline = ContinuousClock.now + .seconds(self.timeout)
        while seen.count < total && ContinuousClock.now < deadline {
            let deliveries = try await consumer.receive(max: 1000, timeout: .milliseconds(500))
            let now = Self.wallClockNanoseconds()
            for delivery in deliveries {
                let message = try ContractDecoder().decode(PassthroughV1.self, from: delivery.body)
                if seen.insert(message.sequence).inserted {
                    _ = histogram.record(UInt64(max(0, now - message.sentAtNanoseconds) / 1000))
                } else {
                    duplicates += 1
                }
            }
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        let finished = ContinuousClock.now
        let publishedAt = try await publishTask.value
        worker.terminate()  // SIGTERM: graceful shutdown
        worker.waitUntilExit()

        let seconds = (finished - started).seconds
        let publishSeconds = (publishedAt - started).seconds
        let database = try await PostgresConnection.connect(
            configuration: try configuration.postgres(applicationName: "conciergectl-bench"), logger: logger)
        let applied = try await PassthroughLog.applied(consumer: workerName, on: database)
        try await PassthroughLog.clear(consumer: workerName, on: database)
        await database.close()
        await consumer.close()
        try? await publisher.deleteQueue(input)
        try? await publisher.deleteQueue(sink)
        await publisher.close()

        print("received:    \(seen.count)/\(total) copies (\(duplicates) duplicate deliveries)")
        print(
            "applied:     \(applied.rows) rows for \(applied.distinct) distinct ids (exactly once: \(applied.isExactlyOnce(total: total) ? "yes" : "NO"))"
        )
        print(String(format: "publish:     %.0f msg/s (%.2f s)", Double(total) / publishSeconds, publishSeconds))
        print(String(format: "throughput:  %.0f msg/s end to end (%.2f s)", Double(seen.count) / seconds, seconds))
        print("latency:     \(BenchSupport.percentiles(histogram))")
        print("worker exit: \(worker.terminationStatus)")
        return seen.count >= total
    }

    static func wallClockNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    func spawnWorker(queue: String, name: String, outputKey: String) throws -> Process {
        let process = Process()
        process.executableURL = self.workerExecutable
        process.arguments = ["worker", "passthrough", "--queue", queue, "--name", name, "--output-key", outputKey]
        var environment = ProcessInfo.processInfo.environment
        environment["HTTP_PORT"] = environment["HTTP_PORT"] ?? "0"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        process.environment = environment
        try process.run()
        return process
    }
}
