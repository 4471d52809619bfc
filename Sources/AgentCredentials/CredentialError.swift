/// Why issuing credentials failed. `description` is safe to log (never a password).
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No agent with that id in `agents`.
        public static let unknownAgent = Code("unknown_agent")
        /// The agent id is not a valid agent identifier.
        public static let invalidAgentID = Code("invalid_agent_id")
    }

    public var code: Code
    public var agentID: String

    public init(_ code: Code, agentID: String) {
        self.code = code
        self.agentID = agentID
    }

    public var description: String { "\(code): agent \(agentID)" }
}
