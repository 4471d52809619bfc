import ConciergeCore
import ConciergePostgres
import Foundation

extension PayoutReconciler {
    /// 7. Every closed period's time earnings are exactly what its presence record and stored rate cards give (with
    /// the cutoff the closer used: the period's end, or the close time if earlier); an open period has none.
    func reconcileTimeEarnings(
        in transaction: PostgresTransaction, report: (ReconciliationReport.Check, String) -> Void,
        checked: inout [String: Int]
    ) throws {
        var stored: [String: [String: (minutes: Int?, amount: Int64, hourly: Int64, guarantee: Int64)]] = [:]
        for row in try transaction.query(
            """
            SELECT e.period_id, e.earning_id, e.minutes_online, e.amount_minor, e.hourly_minor, e.guarantee_minor, p.status
            FROM payout_earnings e JOIN payout_periods p USING (period_id) WHERE e.assignment_id IS NULL
            """
        ) {
            let periodID = try row.decode(String.self, named: "period_id")
            let earningID = try row.decode(String.self, named: "earning_id")
            if try row.decode(String.self, named: "status") != "closed" {
                report(.timeEarnings, "time earning \(earningID) is in open period \(periodID)")
            }
            stored[periodID, default: [:]][earningID] = (
                try row.decode(Int?.self, named: "minutes_online"), try row.decode(Int64.self, named: "amount_minor"),
                try row.decode(Int64.self, named: "hourly_minor"),
                try row.decode(Int64.self, named: "guarantee_minor")
            )
        }
        var count = 0
        for row in try transaction.query(
            "SELECT period_id, least(ends_at, closed_at) AS cutoff FROM payout_periods WHERE status = 'closed' ORDER BY starts_at"
        ) {
            let period = try PayPeriod(id: try row.decode(String.self, named: "period_id"))
            let cutoff = try row.decode(Date.self, named: "cutoff")
            let expected = try TimeEarnings.derive(period, cutoff: cutoff, in: transaction)
            var actual = stored[period.id] ?? [:]
            for record in expected {
                count += 1
                guard let found = actual.removeValue(forKey: record.earningID) else {
                    report(
                        .timeEarnings,
                        "period \(period.id): missing \(record.earningID) (\(record.earning.minutesOnline) min, \(record.earning.components.total))"
                    )
                    continue
                }
                let c = record.earning.components
                if found.minutes != record.earning.minutesOnline || found.amount != c.total.minorUnits
                    || found.hourly != c.hourly
                    || found.guarantee != c.guarantee
                {
                    report(
                        .timeEarnings,
                        "\(record.earningID): booked \(found.minutes.map(String.init) ?? "-") min, \(found.amount) but the presence record gives \(record.earning.minutesOnline) min, \(c.total.minorUnits)"
                    )
                }
            }
            for earningID in actual.keys.sorted() {
                report(.timeEarnings, "\(earningID): not supported by the presence record")
            }
        }
        checked["time_earnings"] = count
    }

    /// 8. Payout runs: each instruction equals the statements it covers (and so their lines: check 5 ties those);
    /// a statement is covered by at most one live instruction, of its own agent and currency, from a period no later
    /// than the run's; each instruction and bank result is posted exactly once with its amount; the in-transit
    /// account holds exactly the pending instructions.
    func reconcileRuns(
        in transaction: PostgresTransaction, report: (ReconciliationReport.Check, String) -> Void,
        checked: inout [String: Int]
    ) throws {
        for row in try transaction.query(
            """
            SELECT i.instruction_id, i.amount_minor, coalesce(sum(pis.amount_minor), 0)::bigint AS covered_minor,
                   coalesce(sum(s.total_minor), 0)::bigint AS statements_minor, coalesce(sum(l.lines), 0)::bigint AS lines_minor,
                   count(pis.statement_id) AS statements,
                   count(*) FILTER (WHERE s.agent_id <> i.agent_id OR s.currency <> i.currency OR sp.ends_at > rp.ends_at) AS foreign_statements
            FROM payout_instructions i JOIN payout_runs r USING (run_id) JOIN payout_periods rp ON rp.period_id = r.period_id
            LEFT JOIN payout_instruction_statements pis USING (instruction_id)
            LEFT JOIN payout_statements s ON s.statement_id = pis.statement_id
            LEFT JOIN payout_periods sp ON sp.period_id = s.period_id
            LEFT JOIN LATERAL (SELECT sum(amount_minor) AS lines FROM payout_statement_lines WHERE statement_id = s.statement_id) l ON true
            GROUP BY i.instruction_id, i.amount_minor ORDER BY 1
            """
        ) {
            let id = try row.decode(String.self, named: "instruction_id")
            let amount = try row.decode(Int64.self, named: "amount_minor")
            let covered = try row.decode(Int64.self, named: "covered_minor")
            let statements = try row.decode(Int64.self, named: "statements_minor")
            let lines = try row.decode(Int64.self, named: "lines_minor")
            if try row.decode(Int.self, named: "statements") == 0 {
                report(.payoutRuns, "instruction \(id) covers no statement")
            } else if amount != covered || amount != statements || amount != lines {
                report(
                    .payoutRuns,
                    "instruction \(id) pays \(amount) but covers statements of \(statements) (recorded \(covered), lines \(lines))"
                )
            }
            if try row.decode(Int.self, named: "foreign_statements") > 0 {
                report(.payoutRuns, "instruction \(id) covers a statement of another agent, currency or a later period")
            }
        }
        for row in try transaction.query(
            """
            SELECT pis.statement_id, string_agg(pis.instruction_id, ', ' ORDER BY pis.instruction_id) AS instructions
            FROM payout_instruction_statements pis
            WHERE NOT EXISTS (SELECT 1 FROM payout_settlements st WHERE st.instruction_id = pis.instruction_id AND st.outcome IN ('failed', 'returned'))
            GROUP BY pis.statement_id HAVING count(*) > 1 ORDER BY 1
            """
        ) {
            report(
                .payoutRuns,
                "statement \(try row.decode(String.self, named: "statement_id")) is paid twice: \(try row.decode(String.self, named: "instructions"))"
            )
        }

        // Each instruction's ledger steps against its settlements.
        var posted: [String: [String: [(account: String, side: String, amount: Int64)]]] = [:]
        for row in try transaction.query(
            """
            SELECT t.instruction_id, t.kind, le.account, le.side, le.amount_minor
            FROM ledger_transactions t JOIN ledger_entries le USING (transaction_id)
            WHERE t.instruction_id IS NOT NULL ORDER BY le.entry_id
            """
        ) {
            posted[try row.decode(String.self, named: "instruction_id"), default: [:]][
                try row.decode(String.self, named: "kind"), default: []
            ].append(
                (
                    try row.decode(String.self, named: "account"), try row.decode(String.self, named: "side"),
                    try row.decode(Int64.self, named: "amount_minor")
                )
            )
        }
        var pendingByCurrency: [String: Int64] = [:]
        var instructions = 0
        for row in try transaction.query(
            """
            SELECT i.instruction_id, i.agent_id, i.currency, i.amount_minor,
                   array(SELECT outcome FROM payout_settlements s WHERE s.instruction_id = i.instruction_id ORDER BY outcome) AS outcomes
            FROM payout_instructions i ORDER BY 1
            """
        ) {
            instructions += 1
            let id = try row.decode(String.self, named: "instruction_id")
            let payable = LedgerAccount.agentPayable(try row.decode(String.self, named: "agent_id")).name
            let currency = try row.decode(String.self, named: "currency")
            let amount = try row.decode(Int64.self, named: "amount_minor")
            let outcomes = Set(try row.decode([String].self, named: "outcomes"))
            let transit = LedgerAccount.paymentsInTransit.name
            let bank = LedgerAccount.bank.name
            var expected: [String: [(String, String)]] = ["payment": [(payable, "debit"), (transit, "credit")]]
            if outcomes.contains("paid") { expected["payment_paid"] = [(transit, "debit"), (bank, "credit")] }
            if outcomes.contains("failed") { expected["payment_failed"] = [(transit, "debit"), (payable, "credit")] }
            if outcomes.contains("returned") {
                expected["payment_returned"] = [
                    (outcomes.contains("paid") ? bank : transit, "debit"), (payable, "credit"),
                ]
            }
            if outcomes.isEmpty { pendingByCurrency[currency, default: 0] += amount }
            let actual = posted[id] ?? [:]
            for kind in Set(expected.keys).union(actual.keys).sorted() {
                let want = (expected[kind] ?? []).map { "\($0.0) \($0.1) \(amount)" }.sorted()
                let got = (actual[kind] ?? []).map { "\($0.account) \($0.side) \($0.amount)" }.sorted()
                if want != got {
                    report(
                        .paymentsPosted,
                        "instruction \(id) \(kind): expected [\(want.joined(separator: "; "))], ledger has [\(got.joined(separator: "; "))]"
                    )
                }
            }
        }
        checked["payment_instructions"] = instructions
        var transitBalance: [String: Int64] = [:]
        for row in try transaction.query(
            """
            SELECT currency, sum(CASE side WHEN 'credit' THEN amount_minor ELSE -amount_minor END)::bigint AS balance_minor
            FROM ledger_entries WHERE account = $1 GROUP BY currency
            """,
            [LedgerAccount.paymentsInTransit.name]
        ) {
            transitBalance[try row.decode(String.self, named: "currency")] = try row.decode(
                Int64.self, named: "balance_minor")
        }
        for currency in Set(transitBalance.keys).union(pendingByCurrency.keys).sorted() {
            let balance = transitBalance[currency] ?? 0
            let pending = pendingByCurrency[currency] ?? 0
            if balance != pending {
                report(
                    .inTransitBalance,
                    "payments_in_transit \(currency) holds \(balance) but pending instructions total \(pending)")
            }
        }
    }
}
