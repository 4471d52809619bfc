public import ConciergeCore

/// A message a handler wants published. It is written to the outbox in the handler's transaction and published by
/// the relay once committed.
public struct OutgoingMessage: Sendable, Hashable {
    public var messageID: String
    public var exchange: String
    public var routingKey: String
    public var schema: String
    public var body: [UInt8]
    /// Mandatory messages must reach a queue (internal lanes); an unroutable one stays in the outbox and is reported.
    /// Outcome messages are not mandatory: upstream may or may not bind a queue for them.
    public var mandatory: Bool

    public init(messageID: String, exchange: String, routingKey: String, schema: String, body: [UInt8], mandatory: Bool)
    {
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.schema = schema
        self.body = body
        self.mandatory = mandatory
    }

    /// An outgoing contract message.
    public init<M: MessageContract>(_ message: M, id: String, exchange: String, routingKey: String, mandatory: Bool) {
        self.init(
            messageID: id, exchange: exchange, routingKey: routingKey, schema: M.schema.rawValue,
            body: message.encodedBody(), mandatory: mandatory
        )
    }
}
