import Logging
import Synchronization

/// Keeps every log record in memory so tests can inspect messages and metadata (no global bootstrap).
struct RecordingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Store: Sendable {
        private let records = Mutex<[Record]>([])

        func append(_ record: Record) { records.withLock { $0.append(record) } }
        var all: [Record] { records.withLock { $0 } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { $1 }
        store.append(Record(level: event.level, message: "\(event.message)", metadata: merged))
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "recording") { _ in RecordingLogHandler(store: store) }, store)
    }
}
