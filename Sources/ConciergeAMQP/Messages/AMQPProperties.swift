/// The basic properties of a message (content header). Every field is optional; `persistent` defaults to `true`.
public struct AMQPProperties: Sendable, Hashable {
    public var contentType: String?
    public var contentEncoding: String?
    /// Application headers (e.g. `x-death`, an array of tables, added by the broker on dead-lettering).
    public var headers: [String: AMQPFieldValue]
    /// Delivery mode 2 (persistent) when `true`, 1 (transient) when `false`.
    public var persistent: Bool
    public var priority: UInt8?
    public var correlationId: String?
    public var replyTo: String?
    /// Per-message TTL in milliseconds, as a decimal string.
    public var expiration: String?
    public var messageId: String?
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64?
    public var type: String?
    public var appId: String?
    /// The publishing connection's user name (`user_id`). RabbitMQ refuses a publish whose `user_id` is not the
    /// connection's authenticated user, so a consumer may trust it to say who published.
    public var userId: String?

    /// Creates properties; everything defaults to absent, except `persistent` (`true`).
    public init(
        contentType: String? = nil, contentEncoding: String? = nil, headers: [String: AMQPFieldValue] = [:],
        persistent: Bool = true, priority: UInt8? = nil, correlationId: String? = nil, replyTo: String? = nil,
        expiration: String? = nil, messageId: String? = nil, timestamp: UInt64? = nil, type: String? = nil,
        appId: String? = nil, userId: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.persistent = persistent
        self.priority = priority
        self.correlationId = correlationId
        self.replyTo = replyTo
        self.expiration = expiration
        self.messageId = messageId
        self.timestamp = timestamp
        self.type = type
        self.appId = appId
        self.userId = userId
    }
}
