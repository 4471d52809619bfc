/// Namespace of the payout worker (filled in by its issue).
public enum PayoutWorker {}
