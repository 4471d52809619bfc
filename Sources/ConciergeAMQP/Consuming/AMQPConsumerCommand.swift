/// A request from ``AMQPConsumer`` to its loop thread.
enum AMQPConsumerCommand: Sendable {
    /// A delivery tag together with the connection generation it belongs to.
    struct Tag: Sendable {
        let value: UInt64
        let generation: UInt64
    }

    /// A binding of the consumer's queue, kept by the consumer (see ``AMQPConsumer/bind(exchange:routingKey:)``).
    struct Binding: Hashable, Sendable {
        let exchange: String
        let routingKey: String
    }

    case ack([Tag], CheckedContinuation<Void, any Error>)
    case nack(Tag, requeue: Bool, CheckedContinuation<Void, any Error>)
    case reject(Tag, requeue: Bool, CheckedContinuation<Void, any Error>)
    case bind(Binding, CheckedContinuation<Void, any Error>)
    case unbind(Binding, CheckedContinuation<Void, any Error>)
    case stopConsuming(CheckedContinuation<Void, Never>)
    case close(CheckedContinuation<Void, Never>?)

    func fail(_ error: AMQPError) {
        switch self {
        case .ack(_, let continuation), .nack(_, _, let continuation), .reject(_, _, let continuation),
            .bind(_, let continuation), .unbind(_, let continuation):
            continuation.resume(throwing: error)
        case .stopConsuming(let continuation):
            continuation.resume()
        case .close(let continuation):
            continuation?.resume()
        }
    }
}
