import ArgumentParser
import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime
import Foundation
import PayoutWorker

/// `conciergectl payouts …`: close a pay period, export its statements, pay them (runs, remittance files, bank
/// results), print statements and DAC7 figures, reconcile the ledger.
struct PayoutsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payouts",
        abstract:
            "Pay periods, statements, payout runs, remittance files, accountants' reports and ledger reconciliation.",
        subcommands: [
            PayoutsCloseCommand.self, PayoutsExportCommand.self, PayoutsPayCommand.self, PayoutsRemitCommand.self,
            PayoutsSettleCommand.self, PayoutsStatementCommand.self, PayoutsDAC7Command.self,
            PayoutsReconcileCommand.self,
        ]
    )
}

/// `conciergectl payouts close --period 2026-11`
struct PayoutsCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract:
            "Freeze a pay period and write one immutable statement per agent (later events go to the next open period)."
    )

    @Option(help: "The period: 2026-11 (monthly) or 2026-W48 (weekly), matching payout.period.")
    var period: String

    @Flag(help: "Close the period even though it has not ended yet.")
    var beforeEnd = false

    func run() async throws {
        let context = try await CommandContext.make()
        let period = try PayPeriod(id: self.period)
        let cadence = try PayoutWorker.Settings(configuration: context.configuration).period
        let closer = PeriodCloser(cadence: cadence)
        // Hourly pay is priced with the stored cards: store the file's versions first (refusing an edited one).
        let book = try PayoutWorker.Settings(configuration: context.configuration).book()
        let beforeEnd = self.beforeEnd
        let result = try await withPayoutsDatabase(context) { transaction in
            try PayoutLedger(cadence: cadence).verify(book, in: transaction)
            return try closer.close(period, allowBeforeEnd: beforeEnd, in: transaction)
        }
        PayoutsSummary.close(result).forEach { print($0) }
    }
}

/// `conciergectl payouts export --period 2026-11 --format csv [--output FILE]`
struct PayoutsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a closed period's statements and their lines."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
    }

    @Option(help: "The closed period to export, e.g. 2026-11.")
    var period: String

    @Option(help: "Output format.")
    var format: Format = .csv

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let period = try PayPeriod(id: self.period)
        let csv = try await withPayoutsDatabase(context, isolation: .repeatableRead) {
            try StatementExport.csv(period, in: $0)
        }
        try write(csv, to: self.output)
    }
}

/// `conciergectl payouts reconcile`: exits 1 with a report when anything disagrees.
struct PayoutsReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract:
            "Check the ledger balances, every assignment has exactly its earnings, every statement equals its lines."
    )

    func run() async throws {
        let context = try await CommandContext.make()
        let report = try await withPayoutsDatabase(context, isolation: .repeatableRead) {
            try PayoutReconciler().reconcile(in: $0)
        }
        print(report)
        if !report.isClean { throw ExitCode(1) }
    }
}
