import ConciergeCore
import Foundation
import PayoutWorker
import Testing

/// IBAN and BIC validation, and pain.001 files validated against the shipped ISO 20022 schema with xmllint.
@Suite struct RemittanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let schema = root.appendingPathComponent("config/schemas/pain.001.001.03.xsd").path

    @Test(arguments: [
        "DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819", "SE45 5000 0000 0583 9825 7466", "nl91abna0417164300",
        "FR14 2004 1010 0505 0001 3M02 606", "NO9386011117947", "MT84MALT011000012345MTLCAST001S",
    ])
    func validIBANsAreAccepted(_ text: String) throws {
        let iban = try IBAN(text)
        #expect(!iban.value.contains(" ") && iban.value == iban.value.uppercased())
        #expect(
            iban.masked.hasPrefix(String(iban.value.prefix(4))) && iban.masked.contains("*")
                && !iban.masked.contains(iban.value))
        #expect("\(iban)" == iban.masked, "an IBAN never prints whole")
    }

    @Test(arguments: [
        ("DE89 3704 0044 0532 0130 01", "check digits"),  // one digit changed
        ("DE98 3704 0044 0532 0130 00", "check digits"),  // check digits swapped
        ("DE89 3704 0044 0532 0130", "must have 22"),  // too short for DE
        ("XX89 3704 0044 0532 0130 00", "not supported"),
        ("DEAB 3704 0044 0532 0130 00", "check digits"),
        ("DE89-3704-0044-0532-0130-00", "only letters"),
        ("", "too short"),
    ])
    func badIBANsAreRefusedWithAReason(_ text: String, _ reason: String) {
        let error = #expect(throws: PayoutError.self) { try IBAN(text) }
        #expect(error?.code == .invalidPayoutDetails)
        #expect(error?.detail.contains(reason) == true, "\(error?.detail ?? "")")
        #expect(error?.detail.contains("3704") == false, "the number is not echoed")
    }

    @Test func bicsFollowTheSchemaPattern() throws {
        for good in ["COBADEFFXXX", "NWBKGB2L", "ESSESESS", "deutdeff500"] { _ = try BIC(good) }
        for bad in ["COBADEFF1", "COBA1EFFXXX", "COBADEF", "COBADE1FXXX", "COBADEFOXXX", "COBADE0F"] {
            #expect(throws: PayoutError.self, "\(bad)") { try BIC(bad) }
        }
    }

    @Test func payoutDetailsAreValidatedAsEntered() throws {
        let details = try PayoutDetails(
            agentID: "agt-1", accountHolder: "  Åsa Öberg ", iban: "se45 5000 0000 0583 9825 7466", bic: "ESSESESS")
        #expect(details.accountHolder == "Åsa Öberg" && details.iban.value == "SE4550000000058398257466")
        #expect(throws: PayoutError.self) {
            try PayoutDetails(agentID: "agt-1", accountHolder: "", iban: "SE4550000000058398257466", bic: nil)
        }
        #expect(throws: PayoutError.self) {
            try PayoutDetails(agentID: "agt-1", accountHolder: "A\u{7}B", iban: "SE4550000000058398257466", bic: nil)
        }
        #expect(throws: PayoutError.self) {
            try PayoutDetails(agentID: "agt-1", accountHolder: "A", iban: "SE4550000000058398257467", bic: nil)
        }
        #expect(throws: PayoutError.self) {
            try PayoutDetails(agentID: "agt-1", accountHolder: "A", iban: "SE4550000000058398257466", bic: "ESSE")
        }
    }

    static func remittance() throws -> Remittance {
        func transfer(
            _ id: String, _ minor: Int64, _ currency: Currency, _ name: String, _ iban: String, _ bic: String?
        ) throws -> Remittance.Transfer {
            Remittance.Transfer(
                endToEndID: id, agentRef: "agt-\(id)", amount: Money(minorUnits: minor, currency: currency),
                creditorName: name,
                iban: try IBAN(iban), bic: try bic.map { try BIC($0) }, reference: "Concierge payout 2026-11 agt-\(id)"
            )
        }
        return Remittance(
            runID: "run-2026-11", periodID: "2026-11",
            createdAt: try #require(Timestamps.parse("2026-12-02T08:00:00Z")),
            transfers: [
                try transfer(
                    "PO-2026-11-000001", 123_45, .eur, "Jörg <Müller> & Söhne", "DE89370400440532013000", "COBADEFFXXX"),
                try transfer("PO-2026-11-000002", 5, .eur, "Ann O'Neill", "FR1420041010050500013M02606", nil),
                try transfer("PO-2026-11-000003", 60_000_00, .sek, "Åsa Öberg", "SE4550000000058398257466", "ESSESESS"),
                try transfer("PO-2026-11-000004", 25_00, .gbp, "Sam \"Lee\"", "GB29NWBK60161331926819", "NWBKGB2L"),
            ]
        )
    }

    static var settings: SettlementSettings {
        get throws {
            try SettlementSettings.parse(
                """
                settlement:
                  minimum: { EUR: 1000 }
                  debtor:
                    name: "Concierge Payouts"
                    accounts:
                      EUR: { iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" }
                      GBP: { iban: "GB29 NWBK 6016 1331 9268 19", bic: "NWBKGB2L" }
                      SEK: { iban: "SE45 5000 0000 0583 9825 7466", bic: "ESSESESS" }
                """
            )
        }
    }

    /// Runs `xmllint --noout --schema` on `xml`; returns (exit status, output).
    static func xmllint(_ xml: String) throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pain001-\(UUID().uuidString).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", Self.schema, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func pain001ValidatesAgainstTheISO20022Schema() throws {
        let xml = try Pain001Writer(settings: try Self.settings).xml(try Self.remittance())
        let (status, output) = try Self.xmllint(xml)
        #expect(status == 0, "\(output)")
        #expect(output.contains("validates"))
        // One block per currency; SEPA rules for EUR only; sums from integer minor units.
        #expect(xml.components(separatedBy: "<PmtInf>").count - 1 == 3)
        #expect(xml.components(separatedBy: "<Cd>SEPA</Cd>").count - 1 == 1)
        #expect(xml.contains("<NbOfTxs>4</NbOfTxs>") && xml.contains("<CtrlSum>60148.50</CtrlSum>"))
        #expect(xml.contains("<CtrlSum>123.50</CtrlSum>") && xml.contains("<InstdAmt Ccy=\"EUR\">0.05</InstdAmt>"))
        #expect(xml.contains("<ChrgBr>SLEV</ChrgBr>") && xml.contains("<ChrgBr>SHAR</ChrgBr>"))
        // SEPA (EUR): the EPC's basic Latin set; other currencies keep the name, escaped for XML.
        #expect(xml.contains("<Nm>Jorg  Muller    Sohne</Nm>") && xml.contains("<Nm>Ann O&apos;Neill</Nm>"))
        #expect(xml.contains("<Nm>Åsa Öberg</Nm>") && xml.contains("<Nm>Sam &quot;Lee&quot;</Nm>"))
        #expect(
            xml.contains("<ReqdExctnDt>2026-12-02</ReqdExctnDt>")
                && xml.contains("<CreDtTm>2026-12-02T08:00:00</CreDtTm>"))
    }

    @Test func theSchemaCatchesWhatTheWriterMustNeverProduce() throws {
        let xml = try Pain001Writer(settings: try Self.settings).xml(try Self.remittance())
        // A malformed IBAN, a BIC of the wrong shape, a negative amount: each one fails schema validation.
        for (good, bad) in [
            ("<IBAN>GB29NWBK60161331926819</IBAN>", "<IBAN>gb29 nwbk 6016</IBAN>"),
            ("<BIC>NWBKGB2L</BIC>", "<BIC>NWBK</BIC>"),
            ("<InstdAmt Ccy=\"EUR\">0.05</InstdAmt>", "<InstdAmt Ccy=\"EUR\">-0.05</InstdAmt>"),
        ] {
            #expect(xml.contains(good))
            let (status, output) = try Self.xmllint(xml.replacingOccurrences(of: good, with: bad))
            #expect(status != 0, "\(bad) passed: \(output)")
        }
    }

    @Test func theWriterRefusesWhatABankWouldReject() throws {
        var remittance = try Self.remittance()
        let writer = Pain001Writer(settings: try Self.settings)
        remittance.transfers[0].amount = Money(minorUnits: 0, currency: .eur)
        #expect(throws: PayoutError.self) { try writer.xml(remittance) }
        remittance = try Self.remittance()
        remittance.transfers[0].amount = Money(minorUnits: 100_000_000_000, currency: .eur)  // above the SEPA maximum
        #expect(throws: PayoutError.self) { try writer.xml(remittance) }
        remittance = try Self.remittance()
        remittance.transfers.append(remittance.transfers[0])
        remittance.transfers[4].amount = Money(minorUnits: 100, currency: .chf)  // no CHF account configured
        let error = #expect(throws: PayoutError.self) { try writer.xml(remittance) }
        #expect(error?.code == .invalidRemittance)
        remittance.transfers = []
        #expect(throws: PayoutError.self) { try writer.xml(remittance) }
    }

    @Test func csvRemittanceHasAControlRowPerCurrency() throws {
        let csv = try Self.remittance().csv()
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 1 + 4 + 3)
        #expect(lines.contains { $0.hasPrefix("CONTROL,,2 transfers,,,EUR,123.50,12350,") })
        #expect(lines.contains { $0.hasPrefix("CONTROL,,1 transfers,,,SEK,60000.00,6000000,") })
    }

    @Test func bankResultFilesAreCheckedWholeBeforeAnythingIsApplied() throws {
        let good = try BankResultFile.parse(
            "instruction_id,outcome,reason\r\nPO-1,paid,\r\nPO-2,returned,AC04 closed account\r\n\r\n")
        #expect(good.lines.map(\.outcome) == [.paid, .returned] && good.lines[1].reason == "AC04 closed account")
        for (text, reason) in [
            ("id,outcome\nPO-1,paid,", "line 1"),
            ("instruction_id,outcome,reason\nPO-1,lost,", "line 2: outcome"),
            ("instruction_id,outcome,reason\nPO-1,paid,\nPO-2,failed,", "line 3: a failed payment needs a reason"),
            ("instruction_id,outcome,reason\nPO 1,paid,", "line 2: instruction id"),
            ("instruction_id,outcome,reason\nPO-1,paid,\nPO-1,paid,", "repeats line 2"),
            ("instruction_id,outcome,reason\n", "no results"),
        ] {
            let error = #expect(throws: PayoutError.self) { try BankResultFile.parse(text) }
            #expect(error?.code == .invalidBankResult)
            #expect(error?.detail.contains(reason) == true, "\(error?.detail ?? "") / \(reason)")
        }
    }
}
