public import InMemoryLogging
public import Logging

/// Tests record logs with swift-log's `InMemoryLogHandler` (no global bootstrap). Every copy of the handler shares one
/// store, so the logger made here and the test that reads `entries` see the same records: level, message, and the
/// handler's metadata merged with the record's (the record's wins).
extension InMemoryLogHandler {
    /// A logger writing to this handler, at `trace` by default so that a test sees every record (a test that proves
    /// something is never logged must look at every level).
    public func logger(_ label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in self }
        logger.logLevel = level
        return logger
    }
}
