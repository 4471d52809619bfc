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
        let application = try AgentEnrollmentRequest(
            customerID: self.customer, agentID: self.agent, languages: self.languages, skills: self.skills,
            capacity: self.capacity, purchases: self.purchases, overdueInstalments: self.overdueInstalments
        ).application()
        let result = try await context.withDatabase("agents") { database in
            try await AgentEnrollmentRequest.enroll(application, rules: settings.eligibility, on: database)
        }
        print(result.line)
        if !result.eligible { throw ExitCode(2) }
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
        guard let change = AgentStatusChange(agentID: self.agent, status: self.status, reason: self.reason) else {
            throw ValidationError("--status must be active, paused or suspended")
        }
        let context = try await CommandContext.make()
        let result = try await context.withDatabase("agents") { try await change.apply(on: $0) }
        print(result.line)
        if !result.found { throw ExitCode(1) }
    }
}

/// `conciergectl agents list`: agents with status, presence, load and rating.
struct AgentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List agents.")

    @Option(help: "Most rows to print.") var limit = 50

    func run() async throws {
        let context = try await CommandContext.make()
        let listing = try await context.withDatabase("agents") {
            try await AgentListing.load(limit: self.limit, on: $0)
        }
        listing.lines().forEach { print($0) }
    }
}
