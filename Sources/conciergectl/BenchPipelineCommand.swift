import ArgumentParser
import ConciergeAMQP
import ConciergeCore
import ConciergeRuntime
import Foundation
import Histogram
import Synchronization

/// Drives the running fleet end to end and prints throughput and latency percentiles.
///
/// Method: bind a private queue to the outcomes exchange (`reply.#`, `handoff.#`, `offer.#`), publish `inquiry.v1`
/// messages (with confirms) to the inquiries exchange at `--rate` per second (0 = as fast as possible) for seeded
/// customers, and record for each inquiry the time from just before its publish to the first outcome about its
/// conversation: a reply (AI lane), a handoff, an offer to an agent, or the human lane's notice to the customer
/// (`conversation_update.v1`, also on `reply.<channel>`; the only outcome of a human-lane inquiry while no agent is
/// online). The share of human-lane inquiries is `--human-share`. Each inquiry is from a different seeded, non-VIP
/// customer (`--first-customer` onwards), so routing is decided by the text, not by the repeat-contact or VIP rules:
/// a second run on the same database needs other customers, or its inquiries go to the human lane as repeat contacts. Requires a migrated, seeded database and
/// running workers (`scripts/bench-pipeline` does it all).
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark the running fleet end to end (inquiry → reply / offer)."
    )

    @Option(help: "Inquiries to publish.")
    var messages = 10_000

    @Option(help: "Publish rate per second (0 = as fast as possible).")
    var rate = 0

    @Option(help: "Share of inquiries that need a human (0...1).")
    var humanShare = 0.0

    @Option(help: "First seeded customer number to use (cus_NNNN); each inquiry goes to its own customer so the repeat-contact rule does not fire.")
    var firstCustomer = 1

    @Option(help: "Seconds to wait for outcomes after the last publish.")
    var timeout = 120

    @Option(help: "Health ports of the workers (comma-separated): their /readyz is checked before the run and reported when outcomes are missing.")
    var workerPorts = ""

    @Option(help: "Seconds to wait for every fleet queue to have a consumer (and the workers to be ready) before publishing.")
    var readyTimeout = 120

    @Option(help: "Consumers each worker queue must have (the workers started per kind); more means another process takes this run's messages. 0: not checked.")
    var consumersPerQueue = 0

    static let routine = [
        "did my payment go through?", "when is my next instalment due?", "where is my refund?",
        "is my last payment received", "how much is my next payment and when",
        "can you show me all my upcoming payments", "has my refund been processed yet",
    ]
    static let human = [
        "I want to dispute this purchase, the item was broken", "I didn't make this purchase, I think it is fraud",
        "can I talk to a human please",
    ]

    func run() async throws {
        let context = try await CommandContext.make()
        let amqp = try context.configuration.amqp(connectionName: "conciergectl-bench-pipeline")
        let runID = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let sink = "bench.\(runID).outcomes"
        // The run's own queues expire once unused for longer than a run can last: a killed run's would otherwise
        // collect a copy of every outcome and dead letter of the fleet for ever.
        let expires = AMQPFieldValue.int(Int64(3600 + self.timeout + 600) * 1000)
        let topology = AMQPTopology(
            exchanges: [.init(name: FleetNames.outcomesExchange, type: "topic")],
            queues: [.init(name: sink, durable: false, arguments: ["x-queue-type": .string("classic"), "x-expires": expires])],
            bindings: ["reply.#", "handoff.#", "offer.#"].map { .init(queue: sink, exchange: FleetNames.outcomesExchange, routingKey: $0) }
        )
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: context.logger)
        try await publisher.declare(topology)
        // Dead letters of this run, to say where missing outcomes went (the dead-letter exchange fans out to it).
        let deadLetters = "bench.\(runID).dead"
        try await publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: FleetNames.deadLetterExchange, type: "fanout")],
                queues: [.init(name: deadLetters, durable: false, arguments: ["x-queue-type": .string("classic"), "x-expires": expires])],
                bindings: [.init(queue: deadLetters, exchange: FleetNames.deadLetterExchange, routingKey: "")]
            )
        )
        // Readiness: every worker queue has a consumer. A failed run reports every fleet queue, the retry tiers and the
        // dead-letter queue included: that is where inquiries without an outcome wait.
        let allQueues = context.configuration.topology.fleet().queues.map(\.name)
        let fleetQueues = allQueues.filter { $0 != FleetNames.deadLetterQueue && !$0.contains("retry") }
        let ports = self.workerPorts.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let expected = self.consumersPerQueue > 0 ? self.consumersPerQueue : nil
        let before = try await BenchFleetState.observe(queues: fleetQueues, workerPorts: ports, expectedConsumers: expected, publisher: publisher)
        if !before.isReady {
            print("waiting up to \(self.readyTimeout) s for the fleet: \(before.summary)")
            let readyBy = ContinuousClock.now + .seconds(self.readyTimeout)
            var state = before
            while !state.isReady && ContinuousClock.now < readyBy {
                try await Task.sleep(for: .seconds(1))
                state = try await BenchFleetState.observe(queues: fleetQueues, workerPorts: ports, expectedConsumers: expected, publisher: publisher)
            }
            guard state.isReady else {
                print("FAILED: the fleet is not ready: \(state.summary)")
                try? await publisher.deleteQueue(deadLetters)
                throw ExitCode(3)
            }
        }
        let backlog = before.queues.reduce(0) { $0 + Int($1.messages ?? 0) }
        if backlog > 0 { print("note: \(backlog) messages already wait in the fleet's queues: \(before.summary)") }
        let consumer = try await AMQPConsumer.connect(configuration: amqp, queue: sink, prefetch: 2000, topology: topology, logger: context.logger)

        let total = self.messages
        let rate = self.rate
        let humanEvery = self.humanShare > 0 ? max(1, Int((1 / self.humanShare).rounded())) : Int.max
        // One customer per inquiry, skipping the VIPs of `conciergectl seed` (every 25th), whom the policy sends to
        // humans first.
        let customerNumbers = Array((self.firstCustomer...).lazy.filter { $0 % 25 != 0 }.prefix(total))
        let sentAt = SentTimes()
        let started = ContinuousClock.now
        print("bench pipeline: \(total) inquiries, rate \(rate == 0 ? "max" : "\(rate)/s"), human share \(self.humanShare), run \(runID)")
        let publishing = Task { () -> (publishedAt: ContinuousClock.Instant, error: String?) in
            // A failed publish ends publishing but not the run: what was confirmed is still waited for and judged.
            defer { sentAt.finish() }
            do {
                try await BenchSupport.publishPaced(
                    total: total, rate: rate, maximumBatch: 200, publisher: publisher,
                    willPublish: { sentAt.record($0.map(\.properties.messageId), at: .now) },
                    confirmed: { sentAt.confirmed($0) }
                ) { range in
                    let now = Timestamps.format(Date())
                    return range.map { n in
                        let human = n % humanEvery == humanEvery - 1
                        let texts = human ? Self.human : Self.routine
                        let inquiry = InquiryV1(
                            messageID: "bench-\(runID)-\(n)", customerID: String(format: "cus_%04d", customerNumbers[n]),
                            channel: "chat", language: "en", text: texts[n % texts.count], sentAt: now
                        )
                        return AMQPMessage(
                            exchange: FleetNames.inquiriesExchange, routingKey: "inquiry.chat", body: inquiry.encodedBody(),
                            properties: AMQPProperties(contentType: "application/json", persistent: true, messageId: inquiry.messageID, type: InquiryV1.schema.rawValue)
                        )
                    }
                }
            } catch {
                return (ContinuousClock.now, "\(error)")
            }
            return (ContinuousClock.now, nil)
        }

        var ai = BenchSupport.latencyHistogram()
        var humanLane = BenchSupport.latencyHistogram()
        var done = Set<String>()
        var kinds: [String: Int] = [:]
        var lastOutcome = started
        var deadline = ContinuousClock.now + .seconds(3600)
        // Until every confirmed inquiry has its outcome, or `timeout` after publishing ended. Only outcomes about this
        // run's conversations count (an earlier run's, still arriving on the same exchange, carry another run id).
        while ContinuousClock.now < deadline && !(sentAt.isFinished && done.count >= sentAt.confirmedCount) {
            if sentAt.isFinished, deadline > ContinuousClock.now + .seconds(self.timeout) {
                deadline = ContinuousClock.now + .seconds(self.timeout)
            }
            let deliveries = try await consumer.receive(max: 1000, timeout: .milliseconds(200))
            let now = ContinuousClock.now
            for delivery in deliveries {
                guard let outcome = try? JSONDecoder().decode(OutcomeHeader.self, from: Data(delivery.body)),
                    let conversation = outcome.conversation_id, conversation.hasPrefix("bench-\(runID)-"),
                    let sent = sentAt.time(of: conversation), done.insert(conversation).inserted
                else { continue }
                let micros = UInt64(max(0, (now - sent).microseconds))
                kinds[outcome.schema ?? "?", default: 0] += 1
                if outcome.schema == MessageSchema.replyV1.rawValue { _ = ai.record(micros) } else { _ = humanLane.record(micros) }
                lastOutcome = now
            }
            if !deliveries.isEmpty { try await consumer.ack(deliveries) }
        }
        let (publishedAt, publishingError) = await publishing.value
        await consumer.close()
        try? await publisher.deleteQueue(sink)
        var result = BenchPhaseResult(
            planned: total, published: sentAt.confirmedCount, publishingError: publishingError, outcomes: done.count
        )
        // What happened to the inquiries without an outcome: dead-lettered (and why), or still waiting somewhere.
        var deadByReason: [String: Int] = [:]
        var after: BenchFleetState?
        if result.verdict != .passed {
            after = try? await BenchFleetState.observe(queues: allQueues, workerPorts: ports, expectedConsumers: nil, publisher: publisher)
            let dead = try await AMQPConsumer.connect(configuration: amqp, queue: deadLetters, prefetch: 1000, topology: .init(), logger: context.logger)
            while true {
                let deliveries = try await dead.receive(max: 1000, timeout: .milliseconds(500))
                if deliveries.isEmpty { break }
                for delivery in deliveries where (delivery.properties.messageId ?? "").contains(runID) {
                    deadByReason[delivery.properties.headers[FleetNames.Headers.reason]?.stringValue ?? "unknown", default: 0] += 1
                }
                try await dead.ack(deliveries)
            }
            await dead.close()
        }
        try? await publisher.deleteQueue(deadLetters)
        await publisher.close()
        result.deadLettered = deadByReason

        let publishSeconds = (publishedAt - started).seconds
        let seconds = (lastOutcome - started).seconds
        func line(_ name: String, _ histogram: Histogram<UInt64>) -> String {
            guard histogram.totalCount > 0 else { return "\(name): none" }
            return "\(name): \(histogram.totalCount) — \(BenchSupport.percentiles(histogram, digits: 1))"
        }
        print(String(format: "published:   %d of %d in %.2f s (%.0f/s)", result.published, total, publishSeconds, Double(result.published) / publishSeconds))
        if done.isEmpty {
            print("outcomes:    0 of \(result.published)")
        } else {
            print(String(format: "outcomes:    %d of %d in %.2f s — %.0f inquiries/s end to end", done.count, result.published, seconds, Double(done.count) / seconds))
        }
        print("by kind:     \(kinds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        print(line("AI lane (inquiry → reply)", ai))
        print(line("other (inquiry → handoff, offer or human-lane notice)", humanLane))
        let report = result.failureReport(timeoutSeconds: self.timeout, fleet: after?.summary ?? "(could not be observed)")
        if !report.isEmpty {
            for line in report { print(line) }
            throw ExitCode(result.exitCode)
        }
    }

    func validate() throws {
        guard self.messages > 0 else { throw ValidationError("--messages must be at least 1") }
        guard self.rate >= 0, self.timeout > 0 else { throw ValidationError("--rate must not be negative and --timeout must be positive") }
    }

    private struct OutcomeHeader: Decodable {
        var schema: String?
        var conversation_id: String?
    }
}

/// Publish instants by message id and how many the broker confirmed, shared between the publishing task and the
/// receiving loop.
final class SentTimes: Sendable {
    private let times = Mutex<[String: ContinuousClock.Instant]>([:])
    private let finished = Mutex(false)
    private let confirmations = Mutex(0)

    /// `count` messages confirmed so far.
    func confirmed(_ count: Int) { self.confirmations.withLock { $0 = count } }
    var confirmedCount: Int { self.confirmations.withLock { $0 } }

    /// Publishing is over: from now on the receiver waits at most its timeout.
    func finish() { self.finished.withLock { $0 = true } }
    var isFinished: Bool { self.finished.withLock { $0 } }

    func record(_ ids: [String?], at instant: ContinuousClock.Instant) {
        self.times.withLock { times in for case let id? in ids { times[id] = instant } }
    }

    func time(of id: String) -> ContinuousClock.Instant? { self.times.withLock { $0[id] } }
}

/// Queue depths and consumers of the fleet's queues, and the workers' readiness: checked before a benchmark run and
/// printed when outcomes are missing. Depths are the messages ready for delivery: those a consumer holds unacked (a
/// hung worker's prefetch) are not in them, which is why readiness and consumer counts are printed beside them.
struct BenchFleetState {
    struct Queue {
        var name: String
        var messages: UInt32?
        var consumers: UInt32?
    }

    var queues: [Queue]
    /// `/readyz` status per health port (nil: no answer).
    var readiness: [(port: Int, status: Int?)]
    /// Consumers each queue must have, when known: more means a process outside this fleet (a worker left running by
    /// a demo or a test) takes a share of the run's messages, and the run cannot see what becomes of them.
    var expectedConsumers: Int? = nil

    /// What keeps the fleet from being ready; empty when it is.
    var problems: [String] {
        var problems: [String] = []
        for queue in self.queues {
            guard let consumers = queue.consumers else {
                problems.append("\(queue.name) is missing")
                continue
            }
            if consumers == 0 { problems.append("\(queue.name) has no consumer") }
            if let expected = self.expectedConsumers, consumers > expected {
                problems.append("\(queue.name) has \(consumers) consumers, \(expected) expected: another process takes its messages")
            }
        }
        for (port, status) in self.readiness where status != 200 {
            problems.append(":\(port) \(status.map { "is not ready (\($0))" } ?? "does not answer")")
        }
        return problems
    }

    var isReady: Bool { self.problems.isEmpty }

    var summary: String {
        let queues = self.queues.map { "\($0.name) \($0.messages.map(String.init) ?? "missing") ready/\($0.consumers.map(String.init) ?? "-") consumers" }
        let workers = self.readiness.map { ":\($0.port) \($0.status.map { $0 == 200 ? "ready" : "not ready (\($0))" } ?? "no answer")" }
        let problems = self.problems
        return (queues + workers).joined(separator: ", ") + (problems.isEmpty ? "" : " — \(problems.joined(separator: "; "))")
    }

    static func observe(
        queues: [String], workerPorts: [Int], expectedConsumers: Int?, publisher: AMQPPublisher
    ) async throws -> BenchFleetState {
        var observed: [Queue] = []
        for name in queues {
            let status = try await publisher.queueStatus(name)
            observed.append(Queue(name: name, messages: status?.messageCount, consumers: status?.consumerCount))
        }
        var readiness: [(Int, Int?)] = []
        for port in workerPorts { readiness.append((port, await HealthProbe.status(port: port, path: "/readyz"))) }
        return BenchFleetState(queues: observed, readiness: readiness, expectedConsumers: expectedConsumers)
    }
}
