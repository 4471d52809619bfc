public import ConciergePostgres
import EscalationWorker

/// `conciergectl agents status`: activate, pause or suspend an agent, with the reason recorded in its history.
public struct AgentStatusChange: Sendable, Hashable {
    /// The statuses an operator may set.
    public static let statuses = ["active", "paused", "suspended"]

    public var agentID: String
    public var status: String
    public var reason: String

    /// Nil unless `status` is one of ``statuses``.
    public init?(agentID: String, status: String, reason: String) {
        guard Self.statuses.contains(status) else { return nil }
        self.agentID = agentID
        self.status = status
        self.reason = reason
    }

    /// Sets the status; returns the line to print and whether the agent exists.
    public func apply(on database: PostgresConnection) async throws -> (line: String, found: Bool) {
        let (agentID, status, reason) = (self.agentID, self.status, self.reason)
        let found = try await database.transaction {
            try AgentEnrollment.setStatus(agentID: agentID, status: status, reason: reason, in: $0)
        }
        return found ? ("agents: \(agentID) is \(status)", true) : ("agents: no agent \(agentID)", false)
    }
}
