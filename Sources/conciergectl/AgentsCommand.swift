import ArgumentParser
import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import EscalationWorker
import Foundation

/// `conciergectl agents …`: enrol customers as gig agents, change their status, list them.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Manage gig agents (customers who answer other customers).",
        subcommands: [
            AgentsEnrollCommand.self, AgentsStaffCommand.self, AgentsStatusCommand.self, AgentsListCommand.self,
            AgentsPayoutDetailsCommand.self, AgentsCredentialsCommand.self,
        ]
    )
}

/// `conciergectl agents enroll --customer ID …`: checks the eligibility rules (`escalation.eligibility.*`) and
/// enrols the customer as an active agent, or prints why not. Same path as an `agent.applied.v1` event.
struct AgentsEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enrol a customer as an agent.")

    @Option(help: "The customer to enrol.") var customer: String
    @Option(help: "Agent id (default agt_<customer>).") var agent: String?
    @Option(help: "Comma-separated ISO 639-1 languages.") var languages = "en"
    @Option(
        help:
            "Comma-separated skills (general, payments, disputes, fraud, hardship, complaints, privacy, bereavement, vip)."
    )
    var skills = "general"
    @Option(help: "Concurrent conversations (1-20).") var capacity = 2
    @Option(help: "Purchases on record (from the system of record).") var purchases = 0
    @Option(help: "Overdue instalments on record.") var overdueInstalments = 0

    func run() async throws {
        let context = try await CommandContext.make()
        let settings = try EscalationSettings(configuration: context.configuration)
        let application = AgentAppliedV1(
            messageID: "cli.\(UUID().uuidString)", customerID: self.customer, agentID: self.agent,
            languages: Self.list(self.languages), skills: Self.list(self.skills), capacity: self.capacity,
            purchases: self.purchases, overdueInstalments: self.overdueInstalments, appliedAt: Timestamps.format(Date())
        )
        try application.validate()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-agents"),
            logger: context.logger
        )
        let outcome = try await database.transaction {
            try AgentEnrollment.enroll(application, rules: settings.eligibility, in: $0)
        }
        await database.close()
        if outcome.status == "rejected" {
            print("agents: \(self.customer) is not eligible: \(outcome.reasons.joined(separator: ", "))")
            throw ExitCode(2)
        }
        print("agents: \(outcome.agentID) \(outcome.status == "unchanged" ? "updated" : "enrolled (active)")")
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// `conciergectl agents status --agent ID --status paused --reason …`
struct AgentsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Activate, pause or suspend an agent.")

    @Option(help: "The agent.") var agent: String
    @Option(help: "active, paused or suspended.") var status: String
    @Option(help: "Why (recorded in the agent's history).") var reason: String

    func run() async throws {
        guard ["active", "paused", "suspended"].contains(self.status) else {
            throw ValidationError("--status must be active, paused or suspended")
        }
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-agents"),
            logger: context.logger
        )
        let (agent, status, reason) = (self.agent, self.status, self.reason)
        let found = try await database.transaction {
            try AgentEnrollment.setStatus(agentID: agent, status: status, reason: reason, in: $0)
        }
        await database.close()
        guard found else {
            print("agents: no agent \(agent)")
            throw ExitCode(1)
        }
        print("agents: \(agent) is \(status)")
    }
}

/// `conciergectl agents list`: agents with status, presence, load and rating.
struct AgentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List agents.")

    @Option(help: "Most rows to print.") var limit = 50

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-agents"),
            logger: context.logger
        )
        let listing: AgentListing
        do {
            listing = try await AgentListing.load(limit: self.limit, on: database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        listing.lines().forEach { print($0) }
    }
}
