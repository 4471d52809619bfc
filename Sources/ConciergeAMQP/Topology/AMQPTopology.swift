/// Exchanges, queues and bindings to declare (idempotently) on a broker.
public struct AMQPTopology: Sendable {
    /// An exchange to declare.
    public struct Exchange: Sendable {
        public var name: String
        /// `"direct"`, `"topic"`, `"fanout"` or `"headers"`.
        public var type: String
        public var durable: Bool
        public var `internal`: Bool
        public var arguments: [String: AMQPFieldValue]

        public init(
            name: String, type: String, durable: Bool = true, internal: Bool = false,
            arguments: [String: AMQPFieldValue] = [:]
        ) {
            self.name = name
            self.type = type
            self.durable = durable
            self.internal = `internal`
            self.arguments = arguments
        }
    }

    /// A queue to declare (never exclusive, never auto-delete). Use `arguments` for `x-queue-type`,
    /// `x-dead-letter-exchange`, `x-max-length`, …
    public struct Queue: Sendable {
        public var name: String
        public var durable: Bool
        public var arguments: [String: AMQPFieldValue]

        public init(name: String, durable: Bool = true, arguments: [String: AMQPFieldValue] = [:]) {
            self.name = name
            self.durable = durable
            self.arguments = arguments
        }
    }

    /// A binding of a queue to an exchange.
    public struct Binding: Sendable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public var arguments: [String: AMQPFieldValue]

        public init(queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue] = [:]) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
            self.arguments = arguments
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    /// Creates a topology; declared in order: exchanges, queues, bindings.
    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Whether there is nothing to declare.
    public var isEmpty: Bool { exchanges.isEmpty && queues.isEmpty && bindings.isEmpty }
}
