import Logging

extension Logger {
    /// Adds the connection's (password-free) identity as metadata.
    func withAMQPMetadata(_ configuration: AMQPConfiguration) -> Logger {
        var logger = self
        logger[metadataKey: AMQPLogKey.host] = "\(configuration.host)"
        logger[metadataKey: AMQPLogKey.port] = "\(configuration.port)"
        logger[metadataKey: AMQPLogKey.virtualHost] = "\(configuration.virtualHost)"
        logger[metadataKey: AMQPLogKey.connectionName] = "\(configuration.connectionName)"
        return logger
    }
}
