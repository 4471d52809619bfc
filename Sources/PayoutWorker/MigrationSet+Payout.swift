public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// The payout worker's tables: rate cards, earnings, the ledger, statements, payment runs, agents' presence sessions (0030), and the accountants' `payouts` views.
    public static let payout = MigrationSet(namespace: "payout", bundle: .module)
}
