import ArgumentParser
import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import EscalationWorker

/// `conciergectl agents staff --agent ID --name NAME …`: adds (or updates) a staff agent, the fallback pool.
struct AgentsStaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Add or update a staff agent (the fallback pool for conversations nobody took)."
    )

    @Option(help: "Agent id (no dots).") var agent: String
    @Option(help: "Display name (the customer sees the first name).") var name: String
    @Option(help: "Market served.") var market = "EU"
    @Option(help: "Comma-separated ISO 639-1 languages.") var languages = "en"
    @Option(help: "Comma-separated skills.") var skills =
        "general,payments,disputes,fraud,hardship,complaints,privacy,bereavement,vip"
    @Option(help: "Concurrent conversations (1-20).") var capacity = 4

    func run() async throws {
        try ContractRules.agentIdentifier(self.agent, field: "agent")
        guard (1...20).contains(self.capacity) else { throw ValidationError("--capacity must be 1-20") }
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-agents"),
            logger: context.logger
        )
        try await database.transaction { transaction in
            try StaffAgents.upsert(
                agentID: self.agent, displayName: self.name, market: self.market,
                languages: AgentEnrollmentRequest.list(self.languages),
                skills: AgentEnrollmentRequest.list(self.skills), capacity: self.capacity, in: transaction
            )
        }
        await database.close()
        print("agents: staff agent \(self.agent) ready (market \(self.market.uppercased()))")
    }
}
