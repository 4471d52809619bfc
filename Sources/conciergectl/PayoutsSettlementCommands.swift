import ArgumentParser
import ConciergeAdmin
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import Foundation
import PayoutWorker

/// Opens the database, runs `body` in one transaction, closes (also when `body` throws).
func withPayoutsDatabase<T: Sendable>(
    _ context: CommandContext, isolation: PostgresIsolation = .readCommitted,
    _ body: @escaping @Sendable (PostgresTransaction) throws -> T
) async throws -> T {
    try await context.withDatabase("payouts") { try await $0.transaction(isolation: isolation, body) }
}

/// `conciergectl payouts pay --period 2026-11`
struct PayoutsPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract:
            "Turn a closed period's statements (and earlier carries) into payment instructions, posted payable -> payments in transit. Twice is a no-op."
    )

    @Option(help: "The closed period, e.g. 2026-11.")
    var period: String

    func run() async throws {
        let context = try await CommandContext.make()
        let period = try PayPeriod(id: self.period)
        let runner = PayoutRunner(
            cadence: try PayoutWorker.Settings(configuration: context.configuration).period,
            settings: try PayoutWorker.Settings(configuration: context.configuration).settlement())
        let run = try await withPayoutsDatabase(context) { try runner.pay(period, in: $0) }
        PayoutsSummary.pay(run).forEach { print($0) }
    }
}

/// `conciergectl payouts remit --period 2026-11 --format pain001 --output run.xml`
struct PayoutsRemitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remit",
        abstract:
            "Write a payout run's remittance file: ISO 20022 pain.001.001.03 credit transfers (SEPA for EUR) or CSV."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case pain001
        case csv
    }

    @Option(help: "The period whose run to write, e.g. 2026-11.")
    var period: String

    @Option(help: "pain001 or csv.")
    var format: Format = .pain001

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Requested execution date (YYYY-MM-DD, UTC) for pain.001; default: the day the run was made.")
    var executionDate: String?

    @Flag(help: "Include instructions the bank has already settled (an audit copy, never to be sent again).")
    var includeSettled = false

    func run() async throws {
        let context = try await CommandContext.make()
        let period = try PayPeriod(id: self.period)
        let settings = try PayoutWorker.Settings(configuration: context.configuration).settlement()
        var execution: Date?
        if let executionDate = self.executionDate {
            guard let date = PayoutsSummary.executionDate(executionDate) else {
                throw ValidationError("--execution-date must look like 2026-12-03")
            }
            execution = date
        }
        let includeSettled = self.includeSettled
        let remittance = try await withPayoutsDatabase(context, isolation: .repeatableRead) {
            try Remittance.load(runID: "run-\(period.id)", includeSettled: includeSettled, in: $0)
        }
        let text =
            switch self.format {
            case .pain001: try Pain001Writer(settings: settings).xml(remittance, executionDate: execution)
            case .csv: try remittance.csv()
            }
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            print(PayoutsSummary.remitted(remittance, to: output))
        } else {
            print(text, terminator: "")
        }
    }
}

/// `conciergectl payouts settle --file results.csv`
struct PayoutsSettleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract:
            "Apply a bank result file (instruction_id,outcome,reason): paid, failed or returned (those go back to payable). Twice is a no-op."
    )

    @Option(help: "The bank result file (CSV).")
    var file: String

    func run() async throws {
        let context = try await CommandContext.make()
        let text: String
        do { text = try String(contentsOfFile: self.file, encoding: .utf8) } catch {
            throw PayoutError(.invalidBankResult, "cannot read \(self.file)")
        }
        let results = try BankResultFile.parse(text)
        let settler = PayoutSettler(cadence: try PayoutWorker.Settings(configuration: context.configuration).period)
        let source = URL(fileURLWithPath: self.file).lastPathComponent
        let result = try await withPayoutsDatabase(context) { try settler.settle(results, source: source, in: $0) }
        print(PayoutsSummary.settle(result))
    }
}
