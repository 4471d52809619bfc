public import ConciergeAMQP
import Foundation

/// `conciergectl queues`: each queue's ready messages and consumers, from passive declares (nothing is received).
public struct QueueDepths: Sendable, Hashable {
    public struct Queue: Sendable, Hashable {
        public var name: String
        /// Nil when the queue does not exist.
        public var status: AMQPQueueStatus?

        public init(name: String, status: AMQPQueueStatus?) {
            self.name = name
            self.status = status
        }
    }

    public var queues: [Queue]

    public init(queues: [Queue]) { self.queues = queues }

    /// The status of each named queue, in order.
    public static func load(_ names: [String], with publisher: AMQPPublisher) async throws -> QueueDepths {
        var queues: [Queue] = []
        for name in names { queues.append(Queue(name: name, status: try await publisher.queueStatus(name))) }
        return QueueDepths(queues: queues)
    }

    /// A header and one line per queue, the names in a column as wide as the longest; a missing queue shows `-` and
    /// `(missing)`.
    public var lines: [String] {
        let width = self.queues.map(\.name.count).max() ?? 10
        func pad(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        func right(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        return ["\(pad("queue"))  messages  consumers"]
            + self.queues.map { queue in
                let messages = queue.status.map { String($0.messageCount) } ?? "-"
                let consumers = queue.status.map { String($0.consumerCount) } ?? "(missing)"
                return "\(pad(queue.name))  \(right(messages, 8))  \(right(consumers, 9))"
            }
    }
}
