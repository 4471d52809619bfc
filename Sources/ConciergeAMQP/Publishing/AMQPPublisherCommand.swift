/// A request from ``AMQPPublisher`` to its loop thread.
enum AMQPPublisherCommand: Sendable {
    case publish([AMQPMessage], CheckedContinuation<[AMQPPublishOutcome], any Error>)
    case declare(AMQPTopology, CheckedContinuation<Void, any Error>)
    case queueStatus(String, CheckedContinuation<AMQPQueueStatus?, any Error>)
    case purgeQueue(String, CheckedContinuation<UInt32, any Error>)
    case deleteQueue(String, ifEmpty: Bool, CheckedContinuation<Void, any Error>)
    case deleteExchange(String, CheckedContinuation<Void, any Error>)
    case unbind(AMQPTopology.Binding, CheckedContinuation<Void, any Error>)
    case close(CheckedContinuation<Void, Never>?)

    /// Fails the command's continuation (`close` just resumes).
    func fail(_ error: AMQPError) {
        switch self {
        case .publish(_, let continuation): continuation.resume(throwing: error)
        case .declare(_, let continuation): continuation.resume(throwing: error)
        case .queueStatus(_, let continuation): continuation.resume(throwing: error)
        case .purgeQueue(_, let continuation): continuation.resume(throwing: error)
        case .deleteQueue(_, _, let continuation): continuation.resume(throwing: error)
        case .deleteExchange(_, let continuation): continuation.resume(throwing: error)
        case .unbind(_, let continuation): continuation.resume(throwing: error)
        case .close(let continuation): continuation?.resume()
        }
    }

    var operation: String {
        switch self {
        case .publish: "publish"
        case .declare: "declare"
        case .queueStatus: "queue status"
        case .purgeQueue: "queue.purge"
        case .deleteQueue: "queue.delete"
        case .deleteExchange: "exchange.delete"
        case .unbind: "queue.unbind"
        case .close: "close"
        }
    }
}
