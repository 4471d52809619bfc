public import ConciergeAMQP
import ConciergeRuntime

/// Queue depths and consumers of the fleet's queues, and the workers' readiness: checked before a benchmark run and
/// printed when outcomes are missing. Depths are the messages ready for delivery: those a consumer holds unacked (a
/// hung worker's prefetch) are not in them, which is why readiness and consumer counts are printed beside them.
public struct BenchFleetState: Sendable {
    public struct Queue: Sendable {
        public var name: String
        public var messages: UInt32?
        public var consumers: UInt32?

        public init(name: String, messages: UInt32?, consumers: UInt32?) {
            self.name = name
            self.messages = messages
            self.consumers = consumers
        }
    }

    public var queues: [Queue]
    /// `/readyz` status per health port (nil: no answer).
    public var readiness: [(port: Int, status: Int?)]
    /// Consumers each queue must have, when known: more means a process outside this fleet (a worker left running by
    /// a demo or a test) takes a share of the run's messages, and the run cannot see what becomes of them.
    public var expectedConsumers: Int? = nil

    public init(queues: [Queue], readiness: [(port: Int, status: Int?)], expectedConsumers: Int? = nil) {
        self.queues = queues
        self.readiness = readiness
        self.expectedConsumers = expectedConsumers
    }

    /// What keeps the fleet from being ready; empty when it is.
    public var problems: [String] {
        var problems: [String] = []
        for queue in self.queues {
            guard let consumers = queue.consumers else {
                problems.append("\(queue.name) is missing")
                continue
            }
            if consumers == 0 { problems.append("\(queue.name) has no consumer") }
            if let expected = self.expectedConsumers, consumers > expected {
                problems.append(
                    "\(queue.name) has \(consumers) consumers, \(expected) expected: another process takes its messages"
                )
            }
        }
        for (port, status) in self.readiness where status != 200 {
            problems.append(":\(port) \(status.map { "is not ready (\($0))" } ?? "does not answer")")
        }
        return problems
    }

    public var isReady: Bool { self.problems.isEmpty }

    public var summary: String {
        let queues = self.queues.map {
            "\($0.name) \($0.messages.map(String.init) ?? "missing") ready/\($0.consumers.map(String.init) ?? "-") consumers"
        }
        let workers = self.readiness.map {
            ":\($0.port) \($0.status.map { $0 == 200 ? "ready" : "not ready (\($0))" } ?? "no answer")"
        }
        let problems = self.problems
        return (queues + workers).joined(separator: ", ")
            + (problems.isEmpty ? "" : " — \(problems.joined(separator: "; "))")
    }

    public static func observe(
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
