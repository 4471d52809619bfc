import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// What `payouts close|pay|settle|remit` print, and `--execution-date`.
@Suite struct PayoutsSummaryTests {
    @Test func aClosedPeriodWithItsTotalsByCurrency() {
        let result = PeriodCloseResult(
            periodID: "2026-11", closedNow: true, statements: 3, lines: 17, totals: ["SEK": 9900, "EUR": 12_345])
        #expect(
            PayoutsSummary.close(result) == [
                "period 2026-11: closed", "statements: 3, lines: 17", "total EUR: 12345 (minor units)",
                "total SEK: 9900 (minor units)",
            ])
        let again = PeriodCloseResult(periodID: "2026-W48", closedNow: false, statements: 0, lines: 0, totals: [:])
        #expect(
            PayoutsSummary.close(again) == [
                "period 2026-W48: was already closed (unchanged)", "statements: 0, lines: 0",
            ])
    }

    @Test func theExecutionDateIsADayAtMidnightUTC() {
        #expect(PayoutsSummary.executionDate("2026-12-03")?.timeIntervalSince1970 == 1_796_256_000)
        for text in ["2026-12-3", "2026-12-03T10:00:00Z", "tomorrow", "2026-13-03"] {
            #expect(PayoutsSummary.executionDate(text) == nil, "\(text)")
        }
    }

    @Test func aRemittanceWrittenToAFile() {
        let remittance = Remittance(runID: "run-2026-11", periodID: "2026-11", createdAt: Date(), transfers: [])
        #expect(PayoutsSummary.remitted(remittance, to: "run.xml") == "remit: 0 transfers written to run.xml")
    }
}

/// `payouts close`, `pay` and `settle` on a scratch database of their own (closing a period of the shared one would
/// change other suites' ledgers): an empty period, its run made once, an empty bank file.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutsSummaryDatabaseTests {
    @Test func anEmptyPeriodClosesPaysOnceAndSettlesNothing() async throws {
        try await ScratchDatabase.with("payouts_summary") { database in
            try await Migrator.fleet().migrate(database, logger: Logger(label: "test.payouts-summary"))
            let period = try PayPeriod(id: "2020-01")
            let closer = PeriodCloser(cadence: .monthly)
            let closed = try await database.transaction { try closer.close(period, in: $0) }
            #expect(PayoutsSummary.close(closed) == ["period 2020-01: closed", "statements: 0, lines: 0"])
            let runner = PayoutRunner(
                cadence: .monthly, settings: SettlementSettings(minimums: [:], debtorName: "Test", accounts: [:]))
            let first = try await database.transaction { try runner.pay(period, in: $0) }
            let second = try await database.transaction { try runner.pay(period, in: $0) }
            #expect(PayoutsSummary.pay(first) == ["run \(first.runID): created", "instructions: 0, carries: 0"])
            #expect(
                PayoutsSummary.pay(second) == [
                    "run \(first.runID): already existed (unchanged)", "instructions: 0, carries: 0",
                ])
            let settler = PayoutSettler(cadence: .monthly)
            let settled = try await database.transaction {
                try settler.settle(BankResultFile(lines: []), source: "empty.csv", in: $0)
            }
            #expect(PayoutsSummary.settle(settled) == "settle: paid 0, failed 0, returned 0, already recorded 0")
        }
    }
}
