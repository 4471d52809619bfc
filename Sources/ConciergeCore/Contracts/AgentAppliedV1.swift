import Foundation

/// `agent.applied.v1`: a customer applied to become a gig agent (from the customer app), published to the agents
/// exchange with the routing key `agent.<agent_id>.applied`. The escalation worker checks the configured eligibility
/// rules against the customer's record and the facts carried here (`purchases`, `overdue_instalments`, which the
/// upstream system of record vouches for) and enrols the agent as `active` or records the application as `rejected`
/// with the reasons.
///
/// `agent_id` is optional (default `agt_<customer_id>`); it must not contain `.`.
public struct AgentAppliedV1: MessageContract, Hashable {
    public static let schema = MessageSchema.agentAppliedV1

    public var schema: String = MessageSchema.agentAppliedV1.rawValue
    public var messageID: String
    public var customerID: String
    public var agentID: String?
    /// ISO 639-1 codes.
    public var languages: [String]
    public var skills: [String]
    /// Concurrent conversations the agent is willing to hold (1…20).
    public var capacity: Int
    public var purchases: Int
    public var overdueInstalments: Int
    public var appliedAt: String

    public init(
        messageID: String, customerID: String, agentID: String? = nil, languages: [String], skills: [String],
        capacity: Int, purchases: Int, overdueInstalments: Int, appliedAt: String
    ) {
        self.messageID = messageID
        self.customerID = customerID
        self.agentID = agentID
        self.languages = languages
        self.skills = skills
        self.capacity = capacity
        self.purchases = purchases
        self.overdueInstalments = overdueInstalments
        self.appliedAt = appliedAt
    }

    /// The agent id this application enrols.
    public var resolvedAgentID: String {
        self.agentID ?? Self.defaultAgentID(customerID: self.customerID)
    }

    /// `agt_<customer_id>` with dots replaced by `-` (agent ids are one routing-key word).
    public static func defaultAgentID(customerID: String) -> String {
        "agt_" + customerID.replacingOccurrences(of: ".", with: "-")
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case customerID = "customer_id"
        case agentID = "agent_id"
        case languages, skills, capacity, purchases
        case overdueInstalments = "overdue_instalments"
        case appliedAt = "applied_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        try ContractRules.agentIdentifier(self.resolvedAgentID, field: "agent_id")
        guard !self.languages.isEmpty, self.languages.count <= 10,
            self.languages.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isLowercase } })
        else {
            throw ContractError(.schemaViolation, detail: "field 'languages' must hold 1-10 ISO 639-1 codes")
        }
        guard self.skills.count <= 20 else {
            throw ContractError(.schemaViolation, detail: "field 'skills' holds at most 20 skills")
        }
        for skill in self.skills { try ContractRules.token(skill, field: "skills") }
        guard (1...20).contains(self.capacity) else {
            throw ContractError(.schemaViolation, detail: "field 'capacity' must be 1...20")
        }
        guard self.purchases >= 0, self.overdueInstalments >= 0 else {
            throw ContractError(.schemaViolation, detail: "fields 'purchases' and 'overdue_instalments' must be >= 0")
        }
        _ = try ContractRules.timestamp(self.appliedAt, field: "applied_at")
    }
}
