/// The logger metadata keys this module uses (dotted, in one place).
enum AMQPLogKey {
    static let host = "amqp.host"
    static let port = "amqp.port"
    static let virtualHost = "amqp.vhost"
    static let connectionName = "amqp.connection_name"
    static let queue = "amqp.queue"
    static let exchange = "amqp.exchange"
    static let consumerTag = "amqp.consumer_tag"
    static let replyCode = "amqp.reply_code"
    static let replyText = "amqp.reply_text"
    static let heartbeatSeconds = "amqp.heartbeat_seconds"
    static let retryInMilliseconds = "amqp.retry_in_ms"
    static let error = "amqp.error"
    static let method = "amqp.method"
    static let reason = "amqp.reason"
}
