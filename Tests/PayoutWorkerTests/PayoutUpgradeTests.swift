import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import PayoutWorker
import Testing

/// Migration 0030 on a database that already has a payout ledger (earnings, a closed period, statements): it applies,
/// keeps every amount, and the ledger written before it reconciles and pays with the new code.
@Suite(.enabled(if: TestServices.enabled))
struct PayoutUpgradeTests {
    @Test func migration0030UpgradesALedgerInUse() async throws {
        let logger = Logger(label: "test.payout.upgrade")
        let base = try PostgresConfiguration(url: TestServices.postgresURL)
        let name = "payout_upgrade_\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
        let admin = try await PostgresConnection.connect(configuration: base, logger: logger)
        try await admin.executeScript("CREATE DATABASE \(name)")  // generated name: [a-z0-9_]
        var configuration = base
        configuration.database = name
        let connection = try await PostgresConnection.connect(configuration: configuration, logger: logger)
        do {
            let all = try Migrator.fleet()
            try await Migrator(migrations: all.migrations.filter { $0.version < 30 }).migrate(
                connection, logger: logger)
            // The ledger as the code before 0030 wrote it (the columns it used then, no more).
            try await connection.transaction {
                try PayoutLedger(cadence: .monthly).register(TestRateCards.book.cards, in: $0)
            }
            try await connection.executeScript(
                """
                INSERT INTO payout_agents (agent_id) VALUES ('old-agent');
                INSERT INTO payout_periods (period_id, cadence, starts_at, ends_at) VALUES ('2025-03', 'monthly', '2025-03-01', '2025-04-01');
                INSERT INTO payout_assignments (assignment_id, conversation_id, offer_id, agent_id, outcome, complexity, vip, surge_bp,
                    market, currency, rate_card_version, resolved_at, message_id)
                    VALUES ('old-a', 'old-c', 'old-o', 'old-agent', 'resolved', 'complex', false, 10000, 'EU', 'EUR', 't1', '2025-03-10', 'm1');
                INSERT INTO payout_earnings (earning_id, assignment_id, kind, agent_id, conversation_id, offer_id, market, currency,
                    rate_card_version, base_minor, amount_minor, surge_bp, source_message_id, occurred_at, event_period_id, period_id)
                    VALUES ('old-a:resolution', 'old-a', 'resolution', 'old-agent', 'old-c', 'old-o', 'EU', 'EUR', 't1', 500, 500,
                            10000, 'm1', '2025-03-10', '2025-03', '2025-03');
                BEGIN;
                INSERT INTO ledger_transactions (transaction_id, kind, earning_id, period_id, description)
                    VALUES (1, 'earning', 'old-a:resolution', '2025-03', 'resolution old-a');
                INSERT INTO ledger_entries (transaction_id, account, side, amount_minor, currency, component, agent_id, conversation_id,
                    assignment_id, offer_id, rate_card_version) VALUES
                    (1, 'agent_fees_expense', 'debit', 500, 'EUR', 'base', 'old-agent', 'old-c', 'old-a', 'old-o', 't1'),
                    (1, 'agent_payable:old-agent', 'credit', 500, 'EUR', 'base', 'old-agent', 'old-c', 'old-a', 'old-o', 't1');
                COMMIT;
                SELECT setval('ledger_transactions_transaction_id_seq', 1);
                """
            )
            try await all.migrate(connection, logger: logger)
            let row = try #require(
                try await connection.query(
                    """
                    SELECT e.amount_minor, e.hourly_minor, e.guarantee_minor, a.agent_ref
                    FROM payout_earnings e JOIN payout_agents a USING (agent_id) WHERE earning_id = 'old-a:resolution'
                    """
                ).first)
            #expect(
                try row.decode(Int.self, named: "amount_minor") == 500
                    && row.decode(Int.self, named: "hourly_minor") == 0
                    && row.decode(Int.self, named: "guarantee_minor") == 0)
            #expect(
                try row.decode(String.self, named: "agent_ref").hasPrefix("agt-"), "existing agents get a pseudonym")
            // The old ledger closes, pays and settles with the new code, and reconciles.
            _ = try await connection.transaction {
                try PeriodCloser(cadence: .monthly).close(try PayPeriod(id: "2025-03"), in: $0)
            }
            let details = try PayoutDetails(
                agentID: "old-agent", accountHolder: "Old Agent", iban: "DE89370400440532013000", bic: nil)
            try await connection.transaction { _ = try details.store(via: .cli, in: $0) }
            var anyAmount = try RemittanceTests.settings
            anyAmount.minimums = [:]
            let settings = anyAmount
            let run = try await connection.transaction {
                try PayoutRunner(cadence: .monthly, settings: settings).pay(try PayPeriod(id: "2025-03"), in: $0)
            }
            #expect(run.instructions.map(\.amountMinor) == [500])
            let report = try await connection.transaction(isolation: .repeatableRead) {
                try PayoutReconciler().reconcile(in: $0)
            }
            #expect(report.isClean, "\(report)")
            #expect(report.checked["payment_instructions"] == 1 && report.checked["earnings"] == 1)
        } catch {
            await connection.close()
            try? await ScratchDatabase.drop(name, admin: admin)
            await admin.close()
            throw error
        }
        await connection.close()
        try await ScratchDatabase.drop(name, admin: admin)
        await admin.close()
    }
}
