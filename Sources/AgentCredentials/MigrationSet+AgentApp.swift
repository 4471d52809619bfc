public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// The agent app's tables: agents' credentials and sessions.
    public static let agentApp = MigrationSet(namespace: "agent_app", bundle: .module)
}
