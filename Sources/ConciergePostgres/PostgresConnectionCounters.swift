import Synchronization

/// Counters shared between a connection's thread (writer) and its callers (readers).
final class PostgresConnectionCounters: Sendable {
    let retries = Atomic<Int>(0)
    let reconnects = Atomic<Int>(0)
}
