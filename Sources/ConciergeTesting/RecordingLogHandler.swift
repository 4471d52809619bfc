public import Logging
import Synchronization

/// Keeps every log record in memory so tests can inspect messages and metadata (no global bootstrap).
public struct RecordingLogHandler: LogHandler {
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    public final class Store: Sendable {
        private let records = Mutex<[Record]>([])

        public func append(_ record: Record) { records.withLock { $0.append(record) } }
        public var all: [Record] { records.withLock { $0 } }
    }

    public let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(store: Store) {
        self.store = store
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { $1 }
        store.append(Record(level: event.level, message: "\(event.message)", metadata: merged))
    }

    public static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "recording") { _ in RecordingLogHandler(store: store) }, store)
    }
}
