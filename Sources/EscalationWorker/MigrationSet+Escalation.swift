public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// The escalation worker's tables: agents, escalations, offers, assignments, agent messages and feedback, and the conversations' transcript and human-lane columns (0007).
    public static let escalation = MigrationSet(namespace: "escalation", bundle: .module)
}
