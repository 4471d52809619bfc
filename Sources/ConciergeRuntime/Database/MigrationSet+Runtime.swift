import Foundation

extension MigrationSet {
    /// The runtime's tables: inbox, outbox, delivery attempts, dead letters (and `passthrough_log`, the benchmark's
    /// pass-through worker's table, which `0001_runtime.sql` creates with the others).
    public static let runtime = MigrationSet(namespace: "runtime", bundle: .module)
}
