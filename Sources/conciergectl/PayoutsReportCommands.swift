import ArgumentParser
import ConciergePostgres
import ConciergeRuntime
import Foundation
import PayoutWorker

/// `conciergectl payouts statement --period 2026-11 --agent A --format html --output s.html`
struct PayoutsStatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "One agent's statement for a closed period: a printable HTML page, or the CSV rows of payouts export."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html
        case csv
    }

    @Option(help: "The closed period, e.g. 2026-11.") var period: String
    @Option(help: "The agent id.") var agent: String
    @Option(help: "html or csv.") var format: Format = .html
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let period = try PayPeriod(id: self.period)
        let (agent, format) = (self.agent, self.format)
        let text = try await withPayoutsDatabase(context, isolation: .repeatableRead) { transaction in
            switch format {
            case .html: return try StatementPage.html(period: period, agentID: agent, in: transaction)
            case .csv: return try StatementExport.csv(period, agentID: agent, in: transaction)
            }
        }
        try write(text, to: self.output)
    }
}

/// `conciergectl payouts dac7 --year 2026 [--quarter 4] --output dac7.csv`
struct PayoutsDAC7Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dac7",
        abstract:
            "DAC7 figures per agent (pseudonym) and quarter as CSV: consideration credited and paid, activities, fees and taxes withheld."
    )

    @Option(help: "The calendar year (UTC).") var year: Int
    @Option(help: "Only this quarter (1-4).") var quarter: Int?
    @Flag(help: "One row per agent and currency with the year's totals instead of one per quarter.") var yearly = false
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let context = try await CommandContext.make()
        let (year, quarter, yearly) = (self.year, self.quarter, self.yearly)
        if yearly, quarter != nil { throw ValidationError("--yearly and --quarter exclude each other") }
        let csv = try await withPayoutsDatabase(context, isolation: .repeatableRead) { transaction in
            yearly
                ? try DAC7Export.yearlyCSV(year: year, in: transaction)
                : try DAC7Export.csv(year: year, quarter: quarter, in: transaction)
        }
        try write(csv, to: self.output)
    }
}
