public import ConciergeAMQP
public import ConciergeCore

/// Upgrading from classic retry tiers (`concierge.retry.<delay>`): once no worker of the old version runs, each old
/// tier queue that is empty is deleted with its exchange; one that still holds messages is kept (run again after its
/// longest delay). `conciergectl topology --remove-legacy-retry-tiers`.
public enum LegacyRetryTiers {
    /// Removes the empty classic tiers of `tiers` and returns a line per tier saying what happened.
    public static func removeEmpty(_ tiers: RetryTiers, with publisher: AMQPPublisher) async -> [String] {
        var lines: [String] = []
        for tier in tiers.delays.indices {
            let legacy = tiers.legacyQueueName(tier: tier)
            do {
                try await publisher.deleteQueue(legacy, ifEmpty: true)
                try await publisher.deleteExchange(legacy)
                lines.append("topology: removed the classic retry tier \(legacy) (or it did not exist)")
            } catch {
                lines.append(
                    "topology: kept the classic retry tier \(legacy): it still holds messages (\(error)); try again later"
                )
            }
        }
        return lines
    }
}
