import AgentCredentials
import ArgumentParser
import ConciergePostgres
import ConciergeRuntime
import Configuration

/// `conciergectl agents credentials --agent ID`: issues a new password for the agent app (bcrypt-hashed in
/// `agent_credentials`), replacing any earlier one and ending the agent's sessions. The password is printed once and
/// stored nowhere in clear.
struct AgentsCredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Issue an agent's sign-in password for the agent app (printed once)."
    )

    @Option(help: "The agent.") var agent: String
    @Option(help: "bcrypt cost (default gateway.bcrypt_cost, 12).") var cost: Int?
    @Flag(help: "Print only the password (for scripts).") var quiet = false

    func run() async throws {
        let context = try await CommandContext.make()
        let cost = self.cost ?? context.configuration.reader.int(forKey: "gateway.bcrypt_cost", default: 12)
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-credentials"),
            logger: context.logger
        )
        let store = AgentCredentialStore(database: database, hasher: PasswordHasher(cost: UInt8(clamping: cost)))
        let password: String
        do {
            password = try await store.issue(agentID: self.agent)
        } catch let error as CredentialError {
            await database.close()
            print("agents: \(error)")
            throw ExitCode(1)
        }
        await database.close()
        if self.quiet {
            print(password)
        } else {
            print("agents: credentials for \(self.agent) (shown once; earlier sessions are signed out)")
            print("  agent id: \(self.agent)")
            print("  password: \(password)")
        }
    }
}
