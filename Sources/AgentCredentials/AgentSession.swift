public import Foundation

/// A signed-in agent, as the gateway knows it from the session cookie.
public struct AgentSession: Sendable, Hashable {
    public var agentID: String
    public var expiresAt: Date

    public init(agentID: String, expiresAt: Date) {
        self.agentID = agentID
        self.expiresAt = expiresAt
    }
}
