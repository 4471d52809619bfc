public import ConciergeCore
public import ConciergePostgres
public import EscalationWorker
public import Foundation

/// `conciergectl agents enroll`: an operator's application for a customer to become an agent, checked against the
/// eligibility rules (`escalation.eligibility.*`) on the same path as an `agent.applied.v1` event.
public struct AgentEnrollmentRequest: Sendable, Hashable {
    public var customerID: String
    /// Nil: `agt_<customer>`.
    public var agentID: String?
    public var languages: [String]
    public var skills: [String]
    public var capacity: Int
    /// Purchases and overdue instalments on record (from the system of record).
    public var purchases: Int
    public var overdueInstalments: Int

    /// Languages and skills as the operator writes them: comma-separated, blanks ignored.
    public init(
        customerID: String, agentID: String? = nil, languages: String = "en", skills: String = "general",
        capacity: Int = 2, purchases: Int = 0, overdueInstalments: Int = 0
    ) {
        self.customerID = customerID
        self.agentID = agentID
        self.languages = Self.list(languages)
        self.skills = Self.list(skills)
        self.capacity = capacity
        self.purchases = purchases
        self.overdueInstalments = overdueInstalments
    }

    /// The items of a comma-separated list, trimmed, empty ones left out.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The application as the event would carry it, validated (a contract error names what is wrong).
    public func application(at now: Date = Date()) throws -> AgentAppliedV1 {
        let application = AgentAppliedV1(
            messageID: "cli.\(UUID().uuidString)", customerID: self.customerID, agentID: self.agentID,
            languages: self.languages, skills: self.skills, capacity: self.capacity, purchases: self.purchases,
            overdueInstalments: self.overdueInstalments, appliedAt: Timestamps.format(now)
        )
        try application.validate()
        return application
    }

    /// What came of an application: the line to print, and whether the customer is an agent now.
    public struct Result: Sendable, Hashable {
        public var line: String
        public var eligible: Bool
    }

    /// Enrols (or updates) the customer in one transaction.
    public static func enroll(
        _ application: AgentAppliedV1, rules: EligibilityRules, on database: PostgresConnection
    ) async throws -> Result {
        let outcome = try await database.transaction {
            try AgentEnrollment.enroll(application, rules: rules, in: $0)
        }
        guard outcome.status != "rejected" else {
            return Result(
                line: "agents: \(application.customerID) is not eligible: \(outcome.reasons.joined(separator: ", "))",
                eligible: false)
        }
        return Result(
            line: "agents: \(outcome.agentID) \(outcome.status == "unchanged" ? "updated" : "enrolled (active)")",
            eligible: true)
    }
}
