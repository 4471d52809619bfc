/// A permanent failure reported by a handler: the message can never be applied and goes to the dead-letter queue.
public struct HandlerError: Error, Sendable, CustomStringConvertible {
    /// A bounded reason, used as the dead-letter reason header and a metric dimension (e.g. `unknown_customer`).
    public var reason: String
    /// What was wrong, safe to log (no customer text).
    public var detail: String

    public static func rejected(_ reason: String, _ detail: String) -> HandlerError {
        HandlerError(reason: reason, detail: detail)
    }

    public var description: String { "\(reason): \(detail)" }
}
