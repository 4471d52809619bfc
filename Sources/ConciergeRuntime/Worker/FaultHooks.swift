import Foundation

/// Crash points for fault tests, read once from the environment; unset (the default, and always in production)
/// they cost one optional check per batch.
///
/// - `CONCIERGE_FAULT_CRASH_AFTER_COMMIT=<message id>`: the process kills itself (SIGKILL) right after the COMMIT of
///   the batch holding that message, before the ack and before the relay sees its outbox rows.
/// - `CONCIERGE_FAULT_CRASH_AFTER_CONFIRM=<message id>`: right after the broker confirmed the outbox row with that id,
///   before it is marked sent.
struct FaultHooks: Sendable {
    var crashAfterCommit: String?
    var crashAfterConfirm: String?

    static let current = FaultHooks(
        crashAfterCommit: ProcessInfo.processInfo.environment["CONCIERGE_FAULT_CRASH_AFTER_COMMIT"],
        crashAfterConfirm: ProcessInfo.processInfo.environment["CONCIERGE_FAULT_CRASH_AFTER_CONFIRM"]
    )

    func crash(if id: String?, among ids: some Sequence<String>) {
        guard let id, ids.contains(id) else { return }
        FileHandle.standardError.write(Data("fault hook: crashing at \(id)\n".utf8))
        kill(getpid(), SIGKILL)
    }
}
