import ConciergeAMQP
import ConciergeCore
public import ConciergeRuntime
import Foundation
import Histogram
public import Logging

/// Drives the running fleet end to end and prints throughput and latency percentiles (`conciergectl bench pipeline`).
///
/// Method: bind a private queue to the outcomes exchange (`reply.#`, `handoff.#`, `offer.#`), publish `inquiry.v1`
/// messages (with confirms) to the inquiries exchange at `rate` per second (0 = as fast as possible) for seeded
/// customers, and record for each inquiry the time from just before its publish to the first outcome about its
/// conversation: a reply (AI lane), a handoff, an offer to an agent, or the human lane's notice to the customer
/// (`conversation_update.v1`, also on `reply.<channel>`; the only outcome of a human-lane inquiry while no agent is
/// online). The share of human-lane inquiries is `humanShare`. Each inquiry is from a different seeded, non-VIP
/// customer (`firstCustomer` onwards), so routing is decided by the text, not by the repeat-contact or VIP rules.
public struct PipelineBenchmark: Sendable {
    /// Inquiries to publish.
    public var messages: Int
    /// Publish rate per second (0 = as fast as possible).
    public var rate: Int
    /// Share of inquiries that need a human (0...1).
    public var humanShare: Double
    /// First seeded customer number to use (cus_NNNN).
    public var firstCustomer: Int
    /// Seconds to wait for outcomes after the last publish.
    public var timeout: Int
    /// Health ports of the workers: their /readyz is checked before the run and reported when outcomes are missing.
    public var workerPorts: [Int]
    /// Seconds to wait for every fleet queue to have a consumer (and the workers to be ready) before publishing.
    public var readyTimeout: Int
    /// Consumers each worker queue must have (nil: not checked).
    public var consumersPerQueue: Int?

    public init(
        messages: Int, rate: Int, humanShare: Double, firstCustomer: Int, timeout: Int, workerPorts: [Int],
        readyTimeout: Int,
        consumersPerQueue: Int?
    ) {
        self.messages = messages
        self.rate = rate
        self.humanShare = humanShare
        self.firstCustomer = firstCustomer
        self.timeout = timeout
        self.workerPorts = workerPorts
        self.readyTimeout = readyTimeout
        self.consumersPerQueue = consumersPerQueue
    }

    /// The exit code of a run the fleet was not ready for (the others are ``BenchPhaseResult/exitCode``).
    public static let fleetNotReadyExitCode: Int32 = 3

    static let routine = [
        "did my payment go through?", "when is my next instalment due?", "where is my refund?",
        "is my last payment received", "how much is my next payment and when",
        "can you show me all my upcoming payments", "has my refund been processed yet",
    ]
    static let human = [
        "I want to dispute this purchase, the item was broken", "I didn't make this purchase, I think it is fraud",
        "can I talk to a human please",
    ]

    /// One customer per inquiry from `first` on, skipping the VIPs of `conciergectl seed` (every 25th), whom the policy
    /// sends to humans first.
    static func customerNumbers(from first: Int, count: Int) -> [Int] {
        Array((first...).lazy.filter { $0 % 25 != 0 }.prefix(count))
    }

    /// Every how many inquiries one is written for the human lane (`Int.max`: none).
    static func humanEvery(share: Double) -> Int {
        share > 0 ? max(1, Int((1 / share).rounded())) : Int.max
    }

    /// The text of inquiry `n`: the last of every `humanEvery` needs a human, the others are routine questions.
    static func text(of n: Int, humanEvery: Int) -> String {
        let texts = n % humanEvery == humanEvery - 1 ? Self.human : Self.routine
        return texts[n % texts.count]
    }

    /// Runs the benchmark, printing its figures, and returns the exit code: 0 passed, 2 outcomes lost, 3 the fleet
    /// was not ready, 4 publishing failed.
    public func run(configuration: FleetConfiguration, logger: Logger) async throws -> Int32 {
        let amqp = try configuration.amqp(connectionName: "conciergectl-bench-pipeline")
        let runID = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let sink = "bench.\(runID).outcomes"
        // The run's own queues expire once unused for longer than a run can last: a killed run's would otherwise
        // collect a copy of every outcome and dead letter of the fleet for ever.
        let expires = AMQPFieldValue.int(Int64(3600 + self.timeout + 600) * 1000)
        let topology = AMQPTopology(
            exchanges: [.init(name: FleetNames.outcomesExchange, type: "topic")],
            queues: [
                .init(
                    name: sink, durable: false, arguments: ["x-queue-type": .string("classic"), "x-expires": expires])
            ],
            bindings: ["reply.#", "handoff.#", "offer.#"].map {
                .init(queue: sink, exchange: FleetNames.outcomesExchange, routingKey: $0)
            }
        )
        let publisher = try await AMQPPublisher.connect(configuration: amqp, logger: logger)
        try await publisher.declare(topology)
        // Dead letters of this run, to say where missing outcomes went (the dead-letter exchange fans out to it).
        let deadLetters = "bench.\(runID).dead"
        try await publisher.declare(
            AMQPTopology(
                exchanges: [.init(name: FleetNames.deadLetterExchange, type: "fanout")],
                queues: [
                    .init(
                        name: deadLetters, durable: false,
                        arguments: ["x-queue-type": .string("classic"), "x-expires": expires])
                ],
                bindings: [.init(queue: deadLetters, exchange: FleetNames.deadLetterExchange, routingKey: "")]
            )
        )
        // Readiness: every worker queue has a consumer. A failed run reports every fleet queue, the retry tiers and the
        // dead-letter queue included: that is where inquiries without an outcome wait.
        let allQueues = configuration.topology.fleet().queues.map(\.name)
        let fleetQueues = allQueues.filter { $0 != FleetNames.deadLetterQueue && !$0.contains("retry") }
        let ports = self.workerPorts
        let expected = self.consumersPerQueue
        let before = try await BenchFleetState.observe(
            queues: fleetQueues, workerPorts: ports, expectedConsumers: expected, publisher: publisher)
        if !before.isReady {
            print("waiting up to \(self.readyTimeout) s for the fleet: \(before.summary)")
            let readyBy = ContinuousClock.now + .seconds(self.readyTimeout)
            var state = before
            while !state.isReady && ContinuousClock.now < readyBy {
                try await Task.sleep(for: .seconds(1))
                state = try await BenchFleetState.observe(
                    queues: fleetQueues, workerPorts: ports, expectedConsumers: expected, publisher: publisher)
            }
            guard state.isReady else {
                print("FAILED: the fleet is not ready: \(state.summary)")
                try? await publisher.deleteQueue(deadLetters)
                return Self.fleetNotReadyExitCode
            }
        }
        let backlog = before.queues.reduce(0) { $0 + Int($1.messages ?? 0) }
        if backlog > 0 { print("note: \(backlog) messages already wait in the fleet's queues: \(before.summary)") }
        let consumer = try await AMQPConsumer.connect(
            configuration: amqp, queue: sink, prefetch: 2000, topology: topology, logger: logger)

        let total = self.messages
        let rate = self.rate
        let humanEvery = Self.humanEvery(share: self.humanShare)
        let customerNumbers = Self.customerNumbers(from: self.firstCustomer, count: total)
        let sentAt = SentTimes()
        let started = ContinuousClock.now
        print(
            "bench pipeline: \(total) inquiries, rate \(rate == 0 ? "max" : "\(rate)/s"), human share \(self.humanShare), run \(runID)"
        )
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
                        let inquiry = InquiryV1(
                            messageID: "bench-\(runID)-\(n)",
                            customerID: String(format: "cus_%04d", customerNumbers[n]),
                            channel: "chat", language: "en", text: Self.text(of: n, humanEvery: humanEvery), sentAt: now
                        )
                        return AMQPMessage(
                            exchange: FleetNames.inquiriesExchange, routingKey: "inquiry.chat",
                            body: inquiry.encodedBody(),
                            properties: AMQPProperties(
                                contentType: "application/json", persistent: true, messageId: inquiry.messageID,
                                type: InquiryV1.schema.rawValue)
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
                if outcome.schema == MessageSchema.replyV1.rawValue {
                    _ = ai.record(micros)
                } else {
                    _ = humanLane.record(micros)
                }
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
            after = try? await BenchFleetState.observe(
                queues: allQueues, workerPorts: ports, expectedConsumers: nil, publisher: publisher)
            let dead = try await AMQPConsumer.connect(
                configuration: amqp, queue: deadLetters, prefetch: 1000, topology: .init(), logger: logger)
            while true {
                let deliveries = try await dead.receive(max: 1000, timeout: .milliseconds(500))
                if deliveries.isEmpty { break }
                for delivery in deliveries where (delivery.properties.messageId ?? "").contains(runID) {
                    deadByReason[
                        delivery.properties.headers[FleetNames.Headers.reason]?.stringValue ?? "unknown", default: 0] +=
                        1
                }
                try await dead.ack(deliveries)
            }
            await dead.close()
        }
        try? await publisher.deleteQueue(deadLetters)
        await publisher.close()
        result.deadLettered = deadByReason

        let figures = PipelineFigures(
            planned: total, published: result.published, publishSeconds: (publishedAt - started).seconds,
            outcomes: done.count,
            outcomeSeconds: (lastOutcome - started).seconds, kinds: kinds, ai: ai, other: humanLane
        )
        figures.lines().forEach { print($0) }
        let report = result.failureReport(
            timeoutSeconds: self.timeout, fleet: after?.summary ?? "(could not be observed)")
        for line in report { print(line) }
        return result.exitCode
    }

    private struct OutcomeHeader: Decodable {
        var schema: String?
        var conversation_id: String?
    }
}
