/// A message delivered to an ``AMQPConsumer``. Acknowledge it with the consumer that received it.
public struct AMQPDelivery: Sendable {
    /// The channel-scoped delivery tag.
    public var deliveryTag: UInt64
    /// Whether the broker delivered this message before (to this or another consumer) without an ack.
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    /// Identifies the consumer connection (channel) the tag belongs to; acks for another one are dropped.
    var generation: UInt64

    /// Creates a delivery (for tests of code that handles deliveries). Such a delivery belongs to no connection:
    /// acking it is a no-op.
    public init(
        deliveryTag: UInt64, redelivered: Bool = false, exchange: String = "", routingKey: String,
        body: [UInt8], properties: AMQPProperties = .init()
    ) {
        self.init(
            deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange, routingKey: routingKey, body: body,
            properties: properties, generation: 0)
    }

    init(
        deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, body: [UInt8],
        properties: AMQPProperties, generation: UInt64
    ) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.generation = generation
    }
}
