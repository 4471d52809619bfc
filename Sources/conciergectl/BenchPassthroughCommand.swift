import ArgumentParser
import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation
import Histogram

/// Pushes N messages through one pass-through worker process: consume → transaction with inbox + outbox → publish
/// with confirms → ack, on durable quorum queues, and prints messages/s and latency percentiles.
///
/// Method: declare a fresh input queue and sink queue, start `conciergectl worker passthrough` as a child process,
/// wait until it consumes, publish N persistent messages with confirms (at `--rate` per second, or as fast as
/// possible), consume the forwarded copies from the sink and record publish → sink latency (wall clock, same machine)
/// in an HDR histogram. Throughput is N / (last copy received − first publish).
struct BenchPassthroughCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passthrough",
        abstract: "Benchmark one worker process end to end (inbox, outbox, confirms, acks)."
    )

    @Option(help: "Messages to push.")
    var messages = 20_000

    @Option(help: "Payload size in bytes.")
    var payloadBytes = 300

    @Option(help: "Publish rate in messages per second (0 = as fast as possible).")
    var rate = 0

    @Option(help: "Seconds to wait for all copies before giving up.")
    var timeout = 300

    func run() async throws {
        let context = try await CommandContext.make()
        let amqp = try context.configuration.amqp(connectionName: "conciergectl-bench")
        let runID = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let input = "bench.\(runID).in"
        let sink = "bench.\(runID).out"
        let key = "bench.\(runID)"
        let workerName = "bench-\(runID)"

        var topology = context.configuration.topology.workerQueue(input)
        topology.exchanges.append(.init(name: FleetNames.outcomesExchange, type: "topic"))
        topology.queues.append(.init(name: sink, arguments: ["x-queue-type": .string("quorum")]))
        topology.bindings.append(.init(queue: sink, exchange: FleetNames.outcomesExchange, routingKey: key))
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: context.logger)
        try await publisher.declare(topology)

        let worker = try Self.spawnWorker(queue: input, name: workerName, outputKey: key)
        defer { if worker.isRunning { worker.terminate() } }
        print("bench passthrough: \(self.messages) messages of \(self.payloadBytes) bytes, rate \(self.rate == 0 ? "max" : "\(self.rate)/s"), worker pid \(worker.processIdentifier)")
        // Wait until the worker consumes.
        let startDeadline = ContinuousClock.now + .seconds(60)
        while try await publisher.queueStatus(input)?.consumerCount ?? 0 == 0 {
            guard ContinuousClock.now < startDeadline, worker.isRunning else { throw ValidationError("worker did not start consuming") }
            try await Task.sleep(for: .milliseconds(100))
        }

        let consumer = try await AMQPConsumer.connect(configuration: amqp, queue: sink, prefetch: 2000, topology: topology, logger: context.logger)
        let payload = String(repeating: "x", count: self.payloadBytes)
        let total = self.messages
        let rate = self.rate
        let started = ContinuousClock.now
        let publishTask = Task {
            try await BenchSupport.publishPaced(total: total, rate: rate, maximumBatch: 500, publisher: publisher) { range in
                range.map { sequence in
                    let body = PassthroughV1(messageID: "\(runID)-\(sequence)", sequence: sequence, sentAtNanoseconds: Self.wallClockNanoseconds(), payload: payload)
                    return AMQPMessage(
                        exchange: "", routingKey: input, body: body.encodedBody(),
                        properties: AMQPProperties(contentType: "application/json", persistent: true, messageId: body.messageID, type: PassthroughV1.schema.rawValue)
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
        let database = try await PostgresConnection.connect(configuration: try context.configuration.postgres(applicationName: "conciergectl-bench"), logger: context.logger)
        let applied = try await database.query(
            "SELECT count(*), count(DISTINCT message_id) FROM passthrough_log WHERE consumer = $1", [workerName]
        )
        let rows = try applied.single().decode(Int.self, at: 0)
        let distinct = try applied.single().decode(Int.self, at: 1)
        _ = try await database.query("DELETE FROM passthrough_log WHERE consumer = $1", [workerName])
        _ = try await database.query("DELETE FROM inbox WHERE consumer = $1", [workerName])
        await database.close()
        await consumer.close()
        try? await publisher.deleteQueue(input)
        try? await publisher.deleteQueue(sink)
        await publisher.close()

        print("received:    \(seen.count)/\(total) copies (\(duplicates) duplicate deliveries)")
        print("applied:     \(rows) rows for \(distinct) distinct ids (exactly once: \(rows == distinct && distinct == total ? "yes" : "NO"))")
        print(String(format: "publish:     %.0f msg/s (%.2f s)", Double(total) / publishSeconds, publishSeconds))
        print(String(format: "throughput:  %.0f msg/s end to end (%.2f s)", Double(seen.count) / seconds, seconds))
        print("latency:     \(BenchSupport.percentiles(histogram))")
        print("worker exit: \(worker.terminationStatus)")
        if seen.count < total { throw ExitCode(1) }
    }

    static func wallClockNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    static func spawnWorker(queue: String, name: String, outputKey: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["worker", "passthrough", "--queue", queue, "--name", name, "--output-key", outputKey]
        var environment = ProcessInfo.processInfo.environment
        environment["HTTP_PORT"] = environment["HTTP_PORT"] ?? "0"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        process.environment = environment
        try process.run()
        return process
    }
}
