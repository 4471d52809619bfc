import ArgumentParser
import ConciergePostgres
import ConciergeRuntime
import Foundation
import PayoutWorker

/// `conciergectl agents payout-details set|show`: an agent's bank details for payouts, validated (IBAN check digits,
/// BIC format, holder name); shown masked.
struct AgentsPayoutDetailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout-details",
        abstract: "Enter or show an agent's payout details (account holder, IBAN, BIC).",
        subcommands: [AgentsPayoutDetailsSetCommand.self, AgentsPayoutDetailsShowCommand.self]
    )
}

struct AgentsPayoutDetailsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Store new payout details for an agent (the latest are used).")

    @Option(help: "The agent.") var agent: String
    @Option(help: "The account holder's name, as the bank knows it.") var holder: String
    @Option(help: "The IBAN (spaces allowed).") var iban: String
    @Option(help: "The BIC (optional inside SEPA).") var bic: String?

    func run() async throws {
        let details: PayoutDetails
        do {
            details = try PayoutDetails(agentID: self.agent, accountHolder: self.holder, iban: self.iban, bic: self.bic)
        } catch {
            print("agents: payout details refused: \(error.detail)")
            throw ExitCode(2)
        }
        let context = try await CommandContext.make()
        try await withPayoutsDatabase(context) { _ = try details.store(via: .cli, in: $0) }
        print(
            "agents: payout details stored for \(details.agentID): \(details.accountHolder), \(details.iban.masked)\(details.bic.map { ", \($0.value)" } ?? "")"
        )
    }
}

struct AgentsPayoutDetailsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an agent's current payout details (IBAN masked).")

    @Option(help: "The agent.") var agent: String

    func run() async throws {
        let context = try await CommandContext.make()
        let agent = self.agent
        guard
            let current = try await withPayoutsDatabase(context, { try PayoutDetails.current(agentID: agent, in: $0) })
        else {
            print("agents: no payout details for \(agent)")
            throw ExitCode(1)
        }
        print(
            "agents: \(agent): \(current.details.accountHolder), \(current.details.iban.masked)\(current.details.bic.map { ", \($0.value)" } ?? "")"
        )
    }
}
