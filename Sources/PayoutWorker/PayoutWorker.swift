/// The payout worker: prices resolved conversations with a versioned rate card and posts the earnings to an
/// append-only double-entry ledger; closes pay periods into immutable statements; reconciles.
///
/// - Input: ``PayoutInput`` from the `concierge.payout` queue (`conversation.resolved.v1`, `feedback.v1`,
///   `conversation.reopened.v1`), applied by ``PayoutHandler``.
/// - Pricing: ``RateCardBook`` / ``RateCard`` (config/payouts.yaml) and ``PayoutPricing``.
/// - Ledger: ``PayoutLedger``; periods: ``PayPeriod``, ``PeriodCloser``; ``PayoutReconciler``; ``StatementExport``.
public enum PayoutWorker {
    /// The worker's name (inbox consumer key, metrics dimension).
    public static let name = "payout"
}
