/// A queue's counters as reported by a passive queue.declare.
public struct AMQPQueueStatus: Sendable, Hashable {
    /// Messages ready for delivery (not counting unacknowledged ones).
    public var messageCount: UInt32
    /// Active consumers.
    public var consumerCount: UInt32

    public init(messageCount: UInt32, consumerCount: UInt32) {
        self.messageCount = messageCount
        self.consumerCount = consumerCount
    }
}
