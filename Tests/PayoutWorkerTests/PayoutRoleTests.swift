import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// The payout worker's job done as its own PostgreSQL role (migration 0050): it books resolutions, ratings and reopens
/// into the ledger, and as that role it cannot rewrite, delete or silence (DISABLE TRIGGER) what it booked.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutRoleTests {
    @Test func payoutRoleBooksTheLedgerAndCannotRewriteIt() async throws {
        try await PayoutTestDatabase.with { db in
            try await WorkerRoles.ensureLogin("payout", owner: db.connection)
            let role = try await PostgresConnection.connect(
                configuration: WorkerRoles.configuration("payout", base: db.configuration), logger: db.logger)
            let handler = TestRateCards.handler()
            let inputs = [
                Events.resolved("r1", complexity: "complex", vip: true, surge: 12500),
                Events.feedback("r1", csat: 5),
                Events.resolved("r2"),
                Events.reopened("r2"),
            ]
            try await db.seedEscalationRecords(for: inputs)
            for input in inputs {
                let batch = [
                    Accepted(
                        message: InboundMessage(messageID: input.messageID, routingKey: FleetNames.payoutKey, body: []),
                        input: input)
                ]
                _ = try await role.transaction { try handler.apply(batch, in: $0) }
            }
            #expect(try await db.earnings("r1")["resolution"] == [500, 150, 162, 0, 0, 812])
            #expect(try await db.int("SELECT count(*) FROM ledger_entries WHERE assignment_id IN ('r1', 'r2')") > 0)
            #expect(try await db.reconcile().isClean)

            for sql in [
                "UPDATE ledger_entries SET amount_minor = 1",
                "DELETE FROM ledger_entries",
                "TRUNCATE ledger_transactions CASCADE",
                "ALTER TABLE ledger_entries DISABLE TRIGGER ALL",
                "UPDATE payout_earnings SET amount_minor = amount_minor + 1",
                "DELETE FROM payout_assignments",
                "SELECT count(*) FROM inquiries",
            ] {
                do {
                    try await role.executeScript(sql)
                    Issue.record("payout role was allowed: \(sql)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "42501", "\(sql): \(error.debugDescription)")
                }
            }
            await role.close()
        }
    }
}
