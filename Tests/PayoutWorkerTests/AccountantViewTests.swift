import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// The accountant role on the payout-run, DAC7 and identity views: it reads every view (new ones without a grant of
/// their own), never a table, never a whole IBAN, and the new views are pseudonymous.
@Suite(.enabled(if: TestServices.enabled))
struct AccountantViewTests {
    static let newViews = [
        "payout_runs", "payment_instructions", "payment_instruction_statements", "payout_carries", "agent_statements",
        "dac7_quarterly", "dac7_yearly", "agent_identities",
    ]
    static let fullIBAN = "DE89370400440532013000"

    func asAccountant<T: Sendable>(
        _ db: PayoutTestDatabase, _ body: @escaping @Sendable (PostgresTransaction) throws -> T
    ) async throws -> T {
        try await db.connection.transaction { transaction in
            try transaction.execute("SET LOCAL ROLE concierge_accountant")
            return try body(transaction)
        }
    }

    @Test func accountantReadsEveryNewViewAndNoTableBehindThem() async throws {
        try await PayoutTestDatabase.with { db in
            // A month with hourly pay, per-resolution pay, a run and a settled payment.
            try await db.session("se-1", "SE", "2025-03-10T09:00:00Z", "2025-03-10T11:00:00Z")
            try await db.apply(
                [
                    Events.resolved("a1", agent: "alice", at: "2025-03-03T10:00:00Z"),
                    Events.resolved("c1", agent: "cara", at: "2025-03-04T10:00:00Z"),  // no payout details: carried
                ], handler: TimeRateCards.handler())
            try await db.close("2025-03", book: TimeRateCards.book)
            try await db.storeDetails("alice", "Alice Martin", Self.fullIBAN, "COBADEFFXXX")
            try await db.storeDetails("se-1", "Åsa Öberg", "SE45 5000 0000 0583 9825 7466")
            var settings = try RemittanceTests.settings
            settings.minimums = [:]
            _ = try await db.pay("2025-03", settings: settings)
            _ = try await db.settle("PO-2025-03-000001,paid,\n")
            try await db.connection.executeScript("GRANT concierge_accountant TO CURRENT_USER")

            let views = try await db.connection.query(
                "SELECT table_name FROM information_schema.views WHERE table_schema = 'payouts' ORDER BY 1"
            )
            .map { try $0.decode(String.self, named: "table_name") }
            #expect(Set(views).isSuperset(of: Self.newViews))
            for view in views {
                // Granted by ALTER DEFAULT PRIVILEGES (new views) or by 0005 (the older ones).
                #expect(
                    try await db.int(
                        "SELECT has_table_privilege('concierge_accountant', 'payouts.' || $1, 'SELECT')::int", [view])
                        == 1, "\(view)")
            }
            let counts = try await self.asAccountant(db) { transaction in
                // View names come from the catalog, not from input.
                try views.map { view in
                    (
                        view,
                        try transaction.query("SELECT count(*) FROM payouts.\(view)").first?.decode(
                            Int.self, named: "count")
                            ?? -1
                    )
                }
            }
            for (view, count) in counts where Self.newViews.contains(view) {
                #expect(count > 0, "\(view) is empty in a month with a run")
            }
            // No view shows a whole IBAN, in any column.
            let leaks = try await self.asAccountant(db) { transaction in
                try views.filter { view in
                    try transaction.query(
                        "SELECT count(*) FROM payouts.\(view) t WHERE t::text LIKE $1", ["%\(Self.fullIBAN)%"]
                    ).first?.decode(Int.self, named: "count") ?? -1 > 0
                }
            }
            #expect(leaks.isEmpty, "\(leaks)")
            let masked = try await self.asAccountant(db) { transaction in
                try transaction.query(
                    "SELECT iban_masked, account_holder FROM payouts.agent_identities WHERE agent_id = 'alice'"
                ).first?.decode(String.self, named: "iban_masked") ?? ""
            }
            #expect(masked == "DE89**************3000")
            // The new views other than agent_identities are pseudonymous: agent_ref, no agent id, no name.
            let identifying = try await db.connection.query(
                """
                SELECT table_name || '.' || column_name AS qualified FROM information_schema.columns
                WHERE table_schema = 'payouts' AND table_name = ANY($1::text[]) AND table_name <> 'agent_identities'
                  AND column_name IN ('agent_id', 'display_name', 'account_holder', 'iban', 'bic')
                """,
                [Self.newViews]
            ).map { try $0.decode(String.self, named: "qualified") }
            #expect(identifying.isEmpty, "\(identifying)")
            // No view at all (the older ones of 0005 included) shows a name or payout details, except agent_identities.
            let named = try await db.connection.query(
                """
                SELECT table_name || '.' || column_name AS qualified FROM information_schema.columns
                WHERE table_schema = 'payouts' AND table_name <> 'agent_identities'
                  AND column_name IN ('display_name', 'account_holder', 'iban', 'bic')
                """
            ).map { try $0.decode(String.self, named: "qualified") }
            #expect(named.isEmpty, "\(named)")

            for forbidden in [
                "SELECT * FROM agent_payout_details", "SELECT * FROM payout_instructions",
                "SELECT * FROM payout_settlements",
                "SELECT * FROM payout_runs", "SELECT * FROM payout_carries", "SELECT * FROM agent_presence_sessions",
                "SELECT * FROM payout_instruction_statements",
                "INSERT INTO payouts.payout_carries VALUES ('r', 'p', 'a', 'EUR', 1, 1, 1, 'x')",
                "UPDATE payouts.payment_instructions SET amount_minor = 0", "DELETE FROM payouts.agent_identities",
                "INSERT INTO agent_payout_details (agent_id, account_holder, iban, entered_via) VALUES ('x', 'X', 'DE89370400440532013000', 'cli')",
            ] {
                let error = await #expect(throws: PostgresError.self, "\(forbidden)") {
                    try await self.asAccountant(db) { try $0.execute(forbidden) }
                }
                #expect(
                    ["42501", "55000", "42809"].contains(error?.sqlState),
                    "\(forbidden): \(error.map { String(describing: $0) } ?? "")")
            }
        }
    }

    @Test func aViewAddedLaterIsReadableWithoutItsOwnGrant() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.connection.executeScript(
                """
                CREATE VIEW payouts.added_later AS SELECT period_id FROM payout_periods;
                GRANT concierge_accountant TO CURRENT_USER;
                """
            )
            try await db.connection.query(
                "INSERT INTO payout_periods (period_id, cadence, starts_at, ends_at) VALUES ('2025-03', 'monthly', '2025-03-01', '2025-04-01')"
            )
            let count = try await self.asAccountant(db) {
                try $0.query("SELECT count(*) FROM payouts.added_later").first?.decode(Int.self, named: "count") ?? -1
            }
            #expect(count == 1)
            // Only SELECT is granted by default, nothing that writes.
            #expect(
                try await db.int(
                    "SELECT has_table_privilege('concierge_accountant', 'payouts.added_later', 'INSERT')::int") == 0)
        }
    }
}
