import ConciergeCore
import ConciergePostgres
import Foundation
import PayoutWorker

extension PayoutTestDatabase {
    /// A constructed presence record: one session of `agent` in `market` (nil `to`: still online).
    func session(_ agent: String, _ market: String, _ from: String, _ to: String?) async throws {
        try await self.connection.query(
            "INSERT INTO agent_presence_sessions (agent_id, market, online_at, offline_at) VALUES ($1, $2, $3::timestamptz, $4::timestamptz)",
            [agent, market, from, to]
        )
    }

    /// Stores `book`'s cards, then closes `period` (as `payouts close` does).
    @discardableResult
    func close(_ period: String, book: RateCardBook, now: Date = Date(), beforeEnd: Bool = false) async throws
        -> PeriodCloseResult
    {
        let period = try PayPeriod(id: period)
        return try await self.connection.transaction { transaction in
            try PayoutLedger(cadence: .monthly).verify(book, in: transaction)
            return try PeriodCloser(cadence: .monthly).close(
                period, now: now, allowBeforeEnd: beforeEnd, in: transaction)
        }
    }

    /// Time earnings booked in a period: earning id -> [minutes, hourly, guarantee, amount, guaranteed, counted] (-1 for NULL).
    func timeEarnings(_ period: String) async throws -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        for row in try await self.connection.query(
            """
            SELECT earning_id, minutes_online, hourly_minor, guarantee_minor, amount_minor,
                   coalesce(guaranteed_minor, -1) AS guaranteed_minor, coalesce(counted_minor, -1) AS counted_minor
            FROM payout_earnings WHERE period_id = $1 AND assignment_id IS NULL
            """,
            [period]
        ) {
            result[try row.decode(String.self, named: "earning_id")] = try [
                "minutes_online", "hourly_minor", "guarantee_minor", "amount_minor", "guaranteed_minor",
                "counted_minor",
            ].map { try row.decode(Int64.self, named: $0) }
        }
        return result
    }

    /// The credit balance of an account in a currency (what an agent's payable owes; what in transit holds).
    func creditBalance(_ account: String, _ currency: String) async throws -> Int64 {
        try await self.int(
            """
            SELECT coalesce(sum(CASE side WHEN 'credit' THEN amount_minor ELSE -amount_minor END), 0)::bigint
            FROM ledger_entries WHERE account = $1 AND currency = $2
            """,
            [account, currency]
        )
    }

    func storeDetails(_ agent: String, _ holder: String, _ iban: String, _ bic: String? = nil) async throws {
        let details = try PayoutDetails(agentID: agent, accountHolder: holder, iban: iban, bic: bic)
        try await self.connection.transaction { _ = try details.store(via: .cli, in: $0) }
    }

    func pay(_ period: String, settings: SettlementSettings, now: Date = Date()) async throws -> PayoutRun {
        let period = try PayPeriod(id: period)
        return try await self.connection.transaction {
            try PayoutRunner(cadence: .monthly, settings: settings).pay(period, now: now, in: $0)
        }
    }

    func settle(_ csv: String, now: Date = Date()) async throws -> PayoutSettler.Result {
        let file = try BankResultFile.parse("instruction_id,outcome,reason\n" + csv)
        return try await self.connection.transaction {
            try PayoutSettler(cadence: .monthly).settle(file, source: "bank.csv", now: now, in: $0)
        }
    }

    /// Runs SQL as the tables' owner with the append-only triggers of `tables` switched off: tampering only the owner
    /// or a superuser can do, which reconcile must catch.
    func tamper(_ tables: [String], _ sql: String) async throws {
        let off = tables.map { "ALTER TABLE \($0) DISABLE TRIGGER USER;" }.joined(separator: "\n")
        let on = tables.map { "ALTER TABLE \($0) ENABLE TRIGGER USER;" }.joined(separator: "\n")
        try await self.connection.executeScript(off + "\n" + sql + "\n" + on)
    }
}
