public import ConciergeAMQP

/// A delivery as a handler sees it: the message id (from the AMQP `message_id` property, else the body's
/// `message_id` field), the routing key, the body and the headers.
public struct InboundMessage: Sendable {
    public var messageID: String
    public var routingKey: String
    public var body: [UInt8]
    public var headers: [String: AMQPFieldValue]
    public var redelivered: Bool

    public init(
        messageID: String, routingKey: String, body: [UInt8], headers: [String: AMQPFieldValue] = [:],
        redelivered: Bool = false
    ) {
        self.messageID = messageID
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        self.redelivered = redelivered
    }
}
