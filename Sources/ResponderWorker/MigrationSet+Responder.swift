public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// The responder's tables: the customers' account facts (purchases, payment plans, instalments, payments, refunds) and the AI's replies and hand-offs.
    public static let responder = MigrationSet(namespace: "responder", bundle: .module)
}
