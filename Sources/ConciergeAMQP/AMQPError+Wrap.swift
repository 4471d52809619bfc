extension AMQPError {
    /// `error` as an `AMQPError` (anything else becomes a protocol error for `operation`).
    static func wrap(_ error: any Error, operation: String) -> AMQPError {
        if let error = error as? AMQPError { return error }
        return AMQPError(.protocolError, operation: operation, detail: "\(type(of: error))")
    }
}
