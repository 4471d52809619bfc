import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// `conciergectl agents payout-details` and `payouts close|pay|remit|settle|statement|dac7|reconcile` as an
/// accountant runs them, with the shipped configuration, against a fresh database.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutsCommandTests {
    static let root = RemittanceTests.root

    /// Runs conciergectl in the repository root against `database`; returns (status, standard output + error).
    func ctl(_ database: String, _ arguments: String...) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = TestServices.executable("conciergectl")
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        var url = URLComponents(string: TestServices.postgresURL)
        url?.path = "/\(database)"
        environment["POSTGRES_URL"] = url?.string ?? ""
        environment["CONCIERGE_CONFIG"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func anAccountantPaysAPeriodThroughTheCLI() async throws {
        try await PayoutTestDatabase.with { db in
            let shipped = try RateCardBook.load(path: Self.root.appendingPathComponent("config/payouts.yaml").path)
            let handler = PayoutHandler(book: shipped, cadence: .monthly)
            try await db.apply(
                (1...5).map {
                    Events.resolved("k\($0)", agent: "dana", complexity: "sensitive", at: "2026-02-0\($0)T10:00:00Z")
                },
                handler: handler
            )
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "payouts-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            var (status, output) = try self.ctl(
                db.name, "agents", "payout-details", "set", "--agent", "dana", "--holder", "Dana Weiss", "--iban",
                "DE89 3704 0044 0532 0130 01")
            #expect(status == 2 && output.contains("check digits"), "\(output)")
            (status, output) = try self.ctl(
                db.name, "agents", "payout-details", "set", "--agent", "dana", "--holder", "Dana Weiss", "--iban",
                "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX")
            #expect(
                status == 0 && output.contains("DE89**************3000") && !output.contains("DE89370400440532013000"),
                "\(output)")
            (status, output) = try self.ctl(db.name, "agents", "payout-details", "show", "--agent", "dana")
            #expect(status == 0 && output.contains("Dana Weiss, DE89**************3000, COBADEFFXXX"), "\(output)")

            (status, output) = try self.ctl(db.name, "payouts", "pay", "--period", "2026-02")
            #expect(status != 0 && output.contains("not closed"), "\(output)")
            (status, output) = try self.ctl(db.name, "payouts", "close", "--period", "2026-02")
            #expect(status == 0 && output.contains("total EUR: 4000"), "\(output)")
            (status, output) = try self.ctl(db.name, "payouts", "pay", "--period", "2026-02")
            #expect(
                status == 0 && output.contains("instructions: 1, carries: 0") && output.contains("total EUR: 4000"),
                "\(output)")
            (status, output) = try self.ctl(db.name, "payouts", "pay", "--period", "2026-02")
            #expect(status == 0 && output.contains("already existed"), "\(output)")

            let xml = folder.appendingPathComponent("run.xml").path
            (status, output) = try self.ctl(
                db.name, "payouts", "remit", "--period", "2026-02", "--format", "pain001", "--output", xml,
                "--execution-date", "2026-12-07")
            #expect(status == 0, "\(output)")
            #expect(try String(contentsOfFile: xml, encoding: .utf8).contains("<ReqdExctnDt>2026-12-07</ReqdExctnDt>"))
            let (valid, lint) = try RemittanceTests.xmllint(try String(contentsOfFile: xml, encoding: .utf8))
            #expect(valid == 0, "\(lint)")

            let results = folder.appendingPathComponent("bank.csv")
            try "instruction_id,outcome,reason\nPO-2026-02-000001,paid,\n".write(
                to: results, atomically: true, encoding: .utf8)
            (status, output) = try self.ctl(db.name, "payouts", "settle", "--file", results.path)
            #expect(status == 0 && output.contains("paid 1"), "\(output)")
            (status, output) = try self.ctl(db.name, "payouts", "reconcile")
            #expect(status == 0 && output.contains("reconcile: OK"), "\(output)")

            let page = folder.appendingPathComponent("statement.html").path
            (status, output) = try self.ctl(
                db.name, "payouts", "statement", "--period", "2026-02", "--agent", "dana", "--output", page)
            #expect(status == 0, "\(output)")
            #expect(try String(contentsOfFile: page, encoding: .utf8).contains("PO-2026-02-000001 paid"))
            (status, output) = try self.ctl(db.name, "payouts", "dac7", "--year", "2026", "--quarter", "1")
            #expect(status == 0 && output.contains(",2026,1,EUR,4000,40.00,"), "\(output)")
            (status, output) = try self.ctl(db.name, "payouts", "dac7", "--year", "2026", "--yearly")
            #expect(
                status == 0 && output.hasPrefix(DAC7Export.yearlyColumns.joined(separator: ","))
                    && output.contains(",2026,EUR,4000,"), "\(output)")
        }
    }
}
