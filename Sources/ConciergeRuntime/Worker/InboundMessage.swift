public import ConciergeAMQP

/// A delivery as a handler sees it: the message id (from the AMQP `message_id` property, else the body's
/// `message_id` field), the routing key, the body, the headers and the publisher's validated AMQP user (`user_id`).
public struct InboundMessage: Sendable {
    public var messageID: String
    public var routingKey: String
    public var body: [UInt8]
    public var headers: [String: AMQPFieldValue]
    public var redelivered: Bool
    /// Who published the message: its AMQP `user_id` (the broker refuses a publish whose `user_id` is not the
    /// publishing connection's user, so when present it names who published), or, for a message this worker
    /// re-published through a retry tier (`user_id` its own user), the `user_id` of the first publish
    /// (`FleetNames.Headers.producer`). `nil` when the publisher did not set it.
    public var userID: String?

    public init(
        messageID: String, routingKey: String, body: [UInt8], headers: [String: AMQPFieldValue] = [:],
        redelivered: Bool = false, userID: String? = nil
    ) {
        self.messageID = messageID
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        self.redelivered = redelivered
        self.userID = userID
    }
}
