import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// Payout runs end to end against a real PostgreSQL: pay, remittance files, bank results with a returned payment,
/// carries, idempotency, and reconcile catching a tampered run.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutRunTests {
    let handler = TestRateCards.handler()
    let book = TestRateCards.book

    var settings: SettlementSettings { get throws { try RemittanceTests.settings } }  // EUR minimum 10.00

    /// March: alice 15.00 (three complex), bob 2.50 (one routine), cara 10.00 (two complex, no payout details).
    func march(_ db: PayoutTestDatabase) async throws {
        try await db.apply(
            [
                Events.resolved("a1", agent: "alice", at: "2025-03-03T10:00:00Z"),
                Events.resolved("a2", agent: "alice", at: "2025-03-04T10:00:00Z"),
                Events.resolved("a3", agent: "alice", at: "2025-03-05T10:00:00Z"),
                Events.resolved("b1", agent: "bob", complexity: "routine", at: "2025-03-06T10:00:00Z"),
                Events.resolved("c1", agent: "cara", at: "2025-03-07T10:00:00Z"),
                Events.resolved("c2", agent: "cara", at: "2025-03-08T10:00:00Z"),
            ], handler: handler)
        try await db.close("2025-03", book: book)
        try await db.storeDetails("alice", "Alice Martin", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX")
        try await db.storeDetails("bob", "Bob Dupont", "FR14 2004 1010 0505 0001 3M02 606")
    }

    func statuses(_ db: PayoutTestDatabase) async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await db.connection.query("SELECT instruction_id, status FROM payouts.payment_instructions") {
            result[try row.decode(String.self, named: "instruction_id")] = try row.decode(String.self, named: "status")
        }
        return result
    }

    @Test func wholeRunThroughPayAndSettleWithAReturnedPayment() async throws {
        try await PayoutTestDatabase.with { db in
            try await self.march(db)
            // An open period cannot be paid.
            let open = await #expect(throws: PayoutError.self) {
                try await db.pay("2025-04", settings: try self.settings)
            }
            #expect(open?.code == .periodOpen)

            let run = try await db.pay("2025-03", settings: try self.settings)
            #expect(run.createdNow && run.runID == "run-2025-03")
            #expect(
                run.instructions.map { "\($0.instructionID) \($0.agentID) \($0.amountMinor)" } == [
                    "PO-2025-03-000001 alice 1500"
                ])
            #expect(
                Set(run.carries.map { "\($0.agentID) \($0.amountMinor) \($0.reason)" }) == [
                    "bob 250 below_minimum", "cara 1000 no_payout_details",
                ])
            // Payable -> payments in transit.
            #expect(try await db.creditBalance("agent_payable:alice", "EUR") == 0)
            #expect(try await db.creditBalance("payments_in_transit", "EUR") == 1500)
            #expect(try await db.reconcile().isClean)

            // Twice: nothing new.
            let snapshot =
                "SELECT (SELECT count(*) FROM payout_instructions) * 1000 + (SELECT count(*) FROM ledger_transactions)"
            let before = try await db.int(snapshot)
            let again = try await db.pay("2025-03", settings: try self.settings)
            #expect(
                !again.createdNow && again.instructions == run.instructions && Set(again.carries) == Set(run.carries))
            #expect(try await db.int(snapshot) == before)

            // The remittance file validates against the ISO 20022 schema.
            let remittance = try await db.connection.transaction { try Remittance.load(runID: "run-2025-03", in: $0) }
            let xml = try Pain001Writer(settings: try self.settings).xml(remittance)
            let (status, output) = try RemittanceTests.xmllint(xml)
            #expect(status == 0, "\(output)")
            #expect(
                xml.contains("<EndToEndId>PO-2025-03-000001</EndToEndId>")
                    && xml.contains("<InstdAmt Ccy=\"EUR\">15.00</InstdAmt>"))
            #expect(
                xml.contains("<IBAN>DE89370400440532013000</IBAN>") && !xml.contains("alice"),
                "the file names the pseudonym, not the agent id")

            // The bank returns it: back to payable, in transit empty, the statement unpaid again.
            let returned = try await db.settle("PO-2025-03-000001,returned,AC04 closed account\n")
            #expect(returned.applied == [.returned: 1])
            #expect(try await db.creditBalance("payments_in_transit", "EUR") == 0)
            #expect(try await db.creditBalance("agent_payable:alice", "EUR") == 1500)
            #expect(try await self.statuses(db) == ["PO-2025-03-000001": "returned"])
            #expect(
                try await db.settle("PO-2025-03-000001,returned,AC04 closed account\n").unchanged == 1,
                "settling twice changes nothing")
            // Written again after the bank's result, the file asks for nothing (an audit copy still has it all).
            let settledRun = try await db.connection.transaction { try Remittance.load(runID: "run-2025-03", in: $0) }
            #expect(settledRun.transfers.isEmpty)
            let audit = try await db.connection.transaction {
                try Remittance.load(runID: "run-2025-03", includeSettled: true, in: $0)
            }
            #expect(audit.transfers.map(\.endToEndID) == ["PO-2025-03-000001"])
            // Impossible steps and unknown instructions reject the whole file; nothing of it is applied.
            await #expect(throws: PayoutError.self) { try await db.settle("PO-2025-03-000001,paid,\n") }
            await #expect(throws: PayoutError.self) {
                try await db.settle("PO-2025-03-000001,returned,again\nPO-2025-03-999999,paid,\n")
            }
            #expect(try await db.int("SELECT count(*) FROM payout_settlements") == 1)
            #expect(try await db.reconcile().isClean)

            // April: alice has new details; bob's carry plus April reaches the minimum; cara still has no details.
            try await db.storeDetails("alice", "Alice Martin", "NL91 ABNA 0417 1643 00")
            try await db.apply(
                [
                    Events.resolved("a4", agent: "alice", complexity: "routine", at: "2025-04-02T10:00:00Z"),
                    Events.resolved("b2", agent: "bob", at: "2025-04-03T10:00:00Z"),
                    Events.resolved("b3", agent: "bob", at: "2025-04-04T10:00:00Z"),
                ], handler: handler)
            try await db.close("2025-04", book: book)
            let april = try await db.pay("2025-04", settings: try self.settings)
            #expect(
                april.instructions.map { "\($0.agentID) \($0.amountMinor) \($0.statements)" } == [
                    "alice 1750 2", "bob 1250 2",
                ])
            #expect(
                april.carries.map { "\($0.agentID) \($0.amountMinor) \($0.statements) \($0.reason)" } == [
                    "cara 1000 1 no_payout_details"
                ])
            #expect(try await db.int("SELECT count(*) FROM payout_instructions WHERE iban = 'NL91ABNA0417164300'") == 1)
            #expect(try await db.creditBalance("payments_in_transit", "EUR") == 3000)

            let settled = try await db.settle(
                "PO-2025-04-000001,paid,\nPO-2025-04-000002,failed,AC01 incorrect account number\n")
            #expect(settled.applied == [.paid: 1, .failed: 1])
            #expect(
                try await db.creditBalance("payments_in_transit", "EUR") == 0, "a settled run leaves nothing in transit"
            )
            #expect(try await db.creditBalance("bank", "EUR") == 1750)
            #expect(try await db.creditBalance("agent_payable:alice", "EUR") == 0)
            #expect(try await db.creditBalance("agent_payable:bob", "EUR") == 1250)
            #expect(
                try await self.statuses(db) == [
                    "PO-2025-03-000001": "returned", "PO-2025-04-000001": "paid", "PO-2025-04-000002": "failed",
                ])
            // A paid payment can still come back.
            #expect(try await db.settle("PO-2025-04-000001,returned,MS03 not specified\n").applied == [.returned: 1])
            #expect(try await db.creditBalance("bank", "EUR") == 0)
            #expect(try await db.creditBalance("agent_payable:alice", "EUR") == 1750)
            await #expect(throws: PayoutError.self) { try await db.settle("PO-2025-04-000002,paid,\n") }

            // What is owed and not covered by a live instruction: everything again, for all three.
            let unpaid = try await db.connection.query(
                "SELECT agent_id, on_statements_minor FROM payouts.unpaid_balances ORDER BY 1"
            )
            .map {
                "\(try $0.decode(String.self, named: "agent_id")) \(try $0.decode(Int.self, named: "on_statements_minor"))"
            }
            #expect(unpaid == ["alice 1750", "bob 1250", "cara 1000"])
            let report = try await db.reconcile()
            #expect(report.isClean, "\(report)")
            #expect(report.checked["payment_instructions"] == 3)
        }
    }

    @Test func reconcileCatchesATamperedRun() async throws {
        try await PayoutTestDatabase.with { db in
            try await self.march(db)
            try await db.storeDetails("cara", "Cara Rossi", "DE89 3704 0044 0532 0130 00")
            var minimumOne = try self.settings
            minimumOne.minimums = [:]
            _ = try await db.pay("2025-03", settings: minimumOne)
            #expect(try await db.int("SELECT count(*) FROM payout_instructions") == 3)
            #expect(try await db.reconcile().isClean)

            // An amount raised behind the triggers' back: it no longer equals its statements, nor its ledger entries.
            try await db.tamper(
                ["payout_instructions"],
                "UPDATE payout_instructions SET amount_minor = amount_minor + 1 WHERE agent_id = 'alice';")
            var report = try await db.reconcile()
            #expect(
                report.findings.contains { $0.check == .payoutRuns && $0.detail.contains("PO-2025-03-000001") },
                "\(report)")
            #expect(
                report.findings.contains { $0.check == .paymentsPosted && $0.detail.contains("PO-2025-03-000001") },
                "\(report)")
            try await db.tamper(
                ["payout_instructions"],
                "UPDATE payout_instructions SET amount_minor = amount_minor - 1 WHERE agent_id = 'alice';")
            #expect(try await db.reconcile().isClean)

            // A statement paid twice (and to someone else).
            try await db.tamper(
                ["payout_instruction_statements"],
                "INSERT INTO payout_instruction_statements SELECT i.instruction_id, '2025-03:alice:EUR', 1500 FROM payout_instructions i WHERE i.agent_id = 'bob';"
            )
            report = try await db.reconcile()
            #expect(
                report.findings.contains { $0.check == .payoutRuns && $0.detail.contains("paid twice") }, "\(report)")
            #expect(
                report.findings.contains { $0.check == .payoutRuns && $0.detail.contains("another agent") }, "\(report)"
            )

            // A settlement recorded without its ledger posting leaves money in transit.
            try await db.connection.query(
                "INSERT INTO payout_settlements (instruction_id, outcome, source_file) SELECT instruction_id, 'paid', 'forged' FROM payout_instructions WHERE agent_id = 'cara'"
            )
            report = try await db.reconcile()
            #expect(report.findings.contains { $0.check == .inTransitBalance }, "\(report)")
            #expect(
                report.findings.contains { $0.check == .paymentsPosted && $0.detail.contains("payment_paid") },
                "\(report)")

            // A stored IBAN altered behind the triggers' back stops the remittance file, naming the instruction.
            try await db.tamper(
                ["payout_instructions"],
                "UPDATE payout_instructions SET iban = 'DE89370400440532013001' WHERE agent_id = 'cara';")
            let error = await #expect(throws: PayoutError.self) {
                try await db.connection.transaction {
                    try Remittance.load(runID: "run-2025-03", includeSettled: true, in: $0)
                }
            }
            #expect(error?.code == .invalidRemittance && error?.detail.contains("PO-2025-03-000003") == true)
            // The database itself refuses a malformed IBAN in payout details.
            await #expect(throws: PostgresError.self) {
                try await db.connection.query(
                    "INSERT INTO agent_payout_details (agent_id, account_holder, iban, entered_via) VALUES ('x', 'X', 'de89 3704', 'cli')"
                )
            }
        }
    }

    @Test func statementPageAndDAC7Export() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.apply(
                [
                    Events.resolved("h1", agent: "alice", vip: true, surge: 12500, at: "2025-03-03T10:00:00Z"),
                    Events.feedback("h1", agent: "alice", csat: 5, at: "2025-03-03T11:00:00Z"),
                ], handler: handler)
            try await db.connection.query(
                "UPDATE payout_agents SET display_name = '<script>alert(1)</script>' WHERE agent_id = 'alice'")
            try await db.close("2025-03", book: book)
            try await db.storeDetails("alice", "Alice Martin", "DE89 3704 0044 0532 0130 00")
            var minimumOne = try self.settings
            minimumOne.minimums = [:]
            _ = try await db.pay("2025-03", settings: minimumOne)
            let paidAt = try #require(Timestamps.parse("2025-04-02T09:00:00Z"))
            _ = try await db.settle("PO-2025-03-000001,paid,\n", now: paidAt)

            let page = try await db.connection.transaction {
                try StatementPage.html(period: try PayPeriod(id: "2025-03"), agentID: "alice", in: $0)
            }
            #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<table>"))
            #expect(
                page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>"), "names stay text")
            #expect(
                page.contains("total 9.12") && page.contains("<td>8.12</td>") && page.contains("surge 1.2500x")
                    && page.contains("PO-2025-03-000001 paid"))
            await #expect(throws: PayoutError.self) {
                try await db.connection.transaction {
                    try StatementPage.html(period: try PayPeriod(id: "2025-03"), agentID: "nobody", in: $0)
                }
            }

            let ref = try #require(
                try await db.connection.query("SELECT agent_ref FROM payout_agents WHERE agent_id = 'alice'").first
            ).decode(String.self, named: "agent_ref")
            let q1 = try await db.connection.transaction { try DAC7Export.csv(year: 2025, quarter: 1, in: $0) }
            let q2 = try await db.connection.transaction { try DAC7Export.csv(year: 2025, quarter: 2, in: $0) }
            #expect(q1.hasPrefix(DAC7Export.columns.joined(separator: ",") + "\r\n"))
            #expect(q1.contains("\(ref),2025,1,EUR,912,9.12,0,0.00,1,0,0"), "\(q1)")
            #expect(q2.contains("\(ref),2025,2,EUR,0,0.00,912,9.12,0,0,0"), "\(q2)")
            #expect(!q1.contains("alice"), "DAC7 rows are pseudonymous")
            let year = try #require(
                try await db.connection.query(
                    "SELECT consideration_credited_minor, consideration_paid_minor, activities, quarters_with_consideration FROM payouts.dac7_yearly WHERE year = 2025"
                ).first)
            #expect(
                try [
                    "consideration_credited_minor", "consideration_paid_minor", "activities",
                    "quarters_with_consideration",
                ].map { try year.decode(Int.self, named: $0) } == [912, 912, 1, 2])
        }
    }
}
