/// An error from the AMQP client.
///
/// `description` is safe to log: it names the failed operation, the error code and the broker's reply code and
/// text (which never contain message bodies or credentials). `debugDescription` adds the underlying
/// rabbitmq-c status, when there is one.
public struct AMQPError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. Compare with the static members, e.g. `error.code == .timeout`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidURL, connectionFailed, authenticationFailed, connectionClosed, channelClosed
            case timeout, protocolError, consumerCancelled, closed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL could not be parsed.
        public static let invalidURL = Code(.invalidURL)
        /// Opening the TCP/TLS connection or the AMQP handshake failed.
        public static let connectionFailed = Code(.connectionFailed)
        /// The broker refused the credentials (or the user may not open the virtual host).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The connection was closed (by the broker, the network or a missed heartbeat).
        public static let connectionClosed = Code(.connectionClosed)
        /// The broker closed the channel (e.g. 404 NOT_FOUND, 406 PRECONDITION_FAILED).
        public static let channelClosed = Code(.channelClosed)
        /// The operation did not finish in time.
        public static let timeout = Code(.timeout)
        /// The broker sent something the client did not expect.
        public static let protocolError = Code(.protocolError)
        /// The broker cancelled the consumer (e.g. its queue was deleted).
        public static let consumerCancelled = Code(.consumerCancelled)
        /// The client was closed by its owner.
        public static let closed = Code(.closed)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The operation that failed, e.g. `"queue.declare"` or `"connect"`.
    public var operation: String
    /// The broker's reply code (e.g. 404, 406, 320), when the broker closed the channel or connection.
    public var replyCode: Int?
    /// The broker's reply text, when the broker closed the channel or connection.
    public var replyText: String?
    /// The rabbitmq-c status code (negative), when the library reported the failure.
    public var libraryStatus: Int?
    /// A short detail from the library (e.g. `"a socket error occurred"`).
    public var detail: String?

    /// Creates an error.
    public init(
        _ code: Code, operation: String, replyCode: Int? = nil, replyText: String? = nil,
        libraryStatus: Int? = nil, detail: String? = nil
    ) {
        self.code = code
        self.operation = operation
        self.replyCode = replyCode
        self.replyText = replyText
        self.libraryStatus = libraryStatus
        self.detail = detail
    }

    public var description: String {
        var text = "AMQPError(\(code), operation: \(operation)"
        if let replyCode { text += ", replyCode: \(replyCode)" }
        if let replyText { text += ", replyText: \(replyText)" }
        if let detail { text += ", detail: \(detail)" }
        return text + ")"
    }

    public var debugDescription: String {
        var text = description
        if let libraryStatus {
            text.removeLast()
            text += ", libraryStatus: \(libraryStatus))"
        }
        return text
    }
}
