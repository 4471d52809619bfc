/// A message to publish.
public struct AMQPMessage: Sendable {
    /// The exchange to publish to (`""` is the default exchange, routing by queue name).
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    /// When `true` an unroutable message comes back as ``AMQPPublishOutcome/returned(replyCode:replyText:)``
    /// instead of being dropped silently.
    public var mandatory: Bool

    /// Creates a message; `mandatory` defaults to `true`.
    public init(
        exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = .init(),
        mandatory: Bool = true
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}
