import ConciergeCore
public import ConciergePostgres
import Foundation

/// Checks that the payout tables explain every cent (see ``ReconciliationReport/Check``): the ledger balances per
/// currency and per transaction; every assignment has exactly the earnings that its facts, its ratings, its reopens
/// and its stored rate-card version imply; every earning is posted with exactly its components; every statement
/// equals its lines and every line its earning; every earning of a closed period is on a statement; every closed
/// period's time earnings are what its presence record gives; every payout run pays exactly the statements it
/// covers, none twice, and the payments-in-transit account holds exactly the payments still pending.
///
/// Repricing uses the rate-card definitions stored in the database, not the current file. Run it in a
/// `REPEATABLE READ` transaction for one consistent snapshot.
public struct PayoutReconciler: Sendable {
    /// At most this many findings per check are listed (the count is still reported).
    public var maximumFindingsPerCheck: Int

    public init(maximumFindingsPerCheck: Int = 50) {
        self.maximumFindingsPerCheck = maximumFindingsPerCheck
    }

    public func reconcile(in transaction: PostgresTransaction) throws -> ReconciliationReport {
        var findings: [ReconciliationReport.Finding] = []
        var counts: [ReconciliationReport.Check: Int] = [:]
        func report(_ check: ReconciliationReport.Check, _ detail: String) {
            counts[check, default: 0] += 1
            if counts[check]! <= self.maximumFindingsPerCheck {
                findings.append(.init(check: check, detail: detail))
            }
        }
        var checked: [String: Int] = [:]

        // 1. The whole ledger, per currency.
        var currencyTotals: [String: (debits: Int64, credits: Int64)] = [:]
        for row in try transaction.query(
            """
            SELECT currency, coalesce(sum(amount_minor) FILTER (WHERE side = 'debit'), 0)::bigint AS debits_minor,
                   coalesce(sum(amount_minor) FILTER (WHERE side = 'credit'), 0)::bigint AS credits_minor
            FROM ledger_entries GROUP BY currency ORDER BY currency
            """
        ) {
            let currency = try row.decode(String.self, named: "currency")
            let totals = (
                try row.decode(Int64.self, named: "debits_minor"), try row.decode(Int64.self, named: "credits_minor")
            )
            currencyTotals[currency] = totals
            if totals.0 != totals.1 {
                report(
                    .ledgerBalancesPerCurrency,
                    "\(currency): debits \(totals.0) != credits \(totals.1) (difference \(totals.0 - totals.1))")
            }
        }

        // 2. Each transaction.
        for row in try transaction.query(
            """
            SELECT transaction_id, currency, sum(CASE side WHEN 'debit' THEN amount_minor ELSE -amount_minor END)::bigint AS off_by_minor
            FROM ledger_entries GROUP BY transaction_id, currency
            HAVING sum(CASE side WHEN 'debit' THEN amount_minor ELSE -amount_minor END) <> 0
            ORDER BY transaction_id
            """
        ) {
            report(
                .transactionBalanced,
                "transaction \(try row.decode(Int64.self, named: "transaction_id")) is off by \(try row.decode(Int64.self, named: "off_by_minor")) \(try row.decode(String.self, named: "currency"))"
            )
        }
        checked["transactions"] = try transaction.query("SELECT count(*) AS count FROM ledger_transactions").singleRow()
            .decode(Int.self, named: "count")

        // 3. Assignments against their expected earnings.
        var cards: [String: RateCard] = [:]
        for row in try transaction.query(
            "SELECT version, market, definition::text AS definition FROM payout_rate_cards")
        {
            cards[
                "\(try row.decode(String.self, named: "version"))\u{0}\(try row.decode(String.self, named: "market"))"] =
                try RateCard(definitionJSON: try row.decode(String.self, named: "definition"))
        }
        var bestRating: [String: Int] = [:]  // conversation \0 agent
        for row in try transaction.query(
            "SELECT conversation_id, agent_id, max(csat) AS best_csat FROM payout_feedback GROUP BY 1, 2")
        {
            bestRating[
                "\(try row.decode(String.self, named: "conversation_id"))\u{0}\(try row.decode(String.self, named: "agent_id"))"
            ] =
                try row.decode(Int.self, named: "best_csat")
        }
        var firstReopen: [String: Date] = [:]
        for row in try transaction.query(
            "SELECT assignment_id, min(reopened_at) AS first_reopened_at FROM payout_reopens GROUP BY 1")
        {
            firstReopen[try row.decode(String.self, named: "assignment_id")] = try row.decode(
                Date.self, named: "first_reopened_at")
        }
        var earnings: [String: [EarningKind: EarningComponents]] = [:]
        var earningOwners: [String: (agent: String, components: EarningComponents)] = [:]
        for row in try transaction.query(
            """
            SELECT earning_id, assignment_id, kind, agent_id, currency, base_minor, vip_minor, surge_minor, csat_minor,
                   clawback_minor, amount_minor, hourly_minor, guarantee_minor
            FROM payout_earnings
            """
        ) {
            let currency = try Currency(code: try row.decode(String.self, named: "currency"))
            let components = EarningComponents(
                currency: currency, base: try row.decode(Int64.self, named: "base_minor"),
                vip: try row.decode(Int64.self, named: "vip_minor"),
                surge: try row.decode(Int64.self, named: "surge_minor"),
                csat: try row.decode(Int64.self, named: "csat_minor"),
                clawback: try row.decode(Int64.self, named: "clawback_minor"),
                hourly: try row.decode(Int64.self, named: "hourly_minor"),
                guarantee: try row.decode(Int64.self, named: "guarantee_minor")
            )
            let earningID = try row.decode(String.self, named: "earning_id")
            if components.total.minorUnits != (try row.decode(Int64.self, named: "amount_minor")) {
                report(.assignmentEarnings, "earning \(earningID): components do not add up to its amount")
            }
            earningOwners[earningID] = (try row.decode(String.self, named: "agent_id"), components)
            // Time earnings have no assignment; check 7 derives them from the presence record.
            guard let kind = EarningKind(rawValue: try row.decode(String.self, named: "kind")),
                let assignmentID = try row.decode(String?.self, named: "assignment_id")
            else { continue }
            earnings[assignmentID, default: [:]][kind] = components
        }
        let assignments = try transaction.query("SELECT \(StoredAssignment.columns) FROM payout_assignments").map(
            StoredAssignment.init(row:))
        checked["assignments"] = assignments.count
        checked["earnings"] = earningOwners.count
        for assignment in assignments {
            guard let card = cards["\(assignment.rateCardVersion)\u{0}\(assignment.market)"] else {
                report(
                    .assignmentEarnings,
                    "assignment \(assignment.assignmentID): rate card \(assignment.rateCardVersion)/\(assignment.market) is not stored"
                )
                continue
            }
            var expected: [EarningKind: EarningComponents] = [:]
            expected[.resolution] = try PayoutPricing.resolutionEarning(assignment.resolution, card: card)
            if let csat = bestRating["\(assignment.conversationID)\u{0}\(assignment.agentID)"] {
                expected[.csatBonus] = PayoutPricing.csatBonus(
                    csat: csat, resolution: assignment.resolution, card: card)
            }
            if let reopenedAt = firstReopen[assignment.assignmentID] {
                expected[.clawback] = try PayoutPricing.clawback(
                    reopenedAt: reopenedAt, resolution: assignment.resolution, card: card)
            }
            let actual = earnings[assignment.assignmentID] ?? [:]
            for kind in EarningKind.perAssignment where expected[kind] != actual[kind] {
                switch (expected[kind], actual[kind]) {
                case (nil, _?):
                    report(
                        .assignmentEarnings,
                        "assignment \(assignment.assignmentID): unexpected \(kind.rawValue) earning")
                case (_?, nil):
                    report(
                        .assignmentEarnings, "assignment \(assignment.assignmentID): missing \(kind.rawValue) earning")
                default:
                    report(
                        .assignmentEarnings,
                        "assignment \(assignment.assignmentID): \(kind.rawValue) is \(actual[kind]!.total) but the rate card gives \(expected[kind]!.total)"
                    )
                }
            }
        }

        // 4. Each earning is posted with exactly its components (net of a reversal).
        var posted: [String: [String: (payable: Int64, expense: Int64)]] = [:]
        var reversed = Set<String>()
        var strayEntries: [String: Int] = [:]
        for row in try transaction.query(
            """
            WITH tx AS (
                SELECT t.transaction_id, coalesce(t.earning_id, o.earning_id) AS earning_id, t.kind
                FROM ledger_transactions t LEFT JOIN ledger_transactions o ON o.transaction_id = t.reverses_transaction_id
            )
            SELECT tx.earning_id, le.component,
                   coalesce(sum(CASE le.side WHEN 'credit' THEN le.amount_minor ELSE -le.amount_minor END)
                            FILTER (WHERE le.account = 'agent_payable:' || e.agent_id), 0)::bigint AS payable_minor,
                   coalesce(sum(CASE le.side WHEN 'debit' THEN le.amount_minor ELSE -le.amount_minor END)
                            FILTER (WHERE le.account = 'agent_fees_expense'), 0)::bigint AS expense_minor,
                   count(*) FILTER (WHERE le.account <> 'agent_fees_expense' AND le.account <> 'agent_payable:' || e.agent_id
                                    OR le.currency <> e.currency) AS stray_entries,
                   bool_or(tx.kind = 'reversal') AS reversed
            FROM ledger_entries le JOIN tx USING (transaction_id) JOIN payout_earnings e ON e.earning_id = tx.earning_id
            GROUP BY tx.earning_id, le.component
            """
        ) {
            let earningID = try row.decode(String.self, named: "earning_id")
            posted[earningID, default: [:]][try row.decode(String.self, named: "component")] =
                (try row.decode(Int64.self, named: "payable_minor"), try row.decode(Int64.self, named: "expense_minor"))
            strayEntries[earningID, default: 0] += try row.decode(Int.self, named: "stray_entries")
            if try row.decode(Bool.self, named: "reversed") { reversed.insert(earningID) }
        }
        for (earningID, owner) in earningOwners.sorted(by: { $0.key < $1.key }) {
            guard let parts = posted[earningID] else {
                report(.earningPosted, "earning \(earningID) has no ledger entries")
                continue
            }
            if let stray = strayEntries[earningID], stray > 0 {
                report(
                    .earningPosted,
                    "earning \(earningID): \(stray) entries on other accounts or currencies than agent_payable:\(owner.agent) / agent_fees_expense"
                )
            }
            let expected = Dictionary(
                uniqueKeysWithValues: owner.components.parts.map {
                    ($0.component, reversed.contains(earningID) ? 0 : $0.amount.minorUnits)
                })
            for component in Set(expected.keys).union(parts.keys).sorted() {
                let want = expected[component] ?? 0
                let got = parts[component] ?? (0, 0)
                if got.payable != want || got.expense != want {
                    report(
                        .earningPosted,
                        "earning \(earningID) \(component): expected \(want), ledger has payable \(got.payable), expense \(got.expense)"
                    )
                }
            }
        }

        // 5. Statements against their lines, lines against their earnings.
        for row in try transaction.query(
            """
            SELECT s.statement_id, s.total_minor, s.line_count, coalesce(sum(l.amount_minor), 0)::bigint AS lines_minor,
                   count(l.line_no) AS lines
            FROM payout_statements s LEFT JOIN payout_statement_lines l USING (statement_id)
            GROUP BY s.statement_id, s.total_minor, s.line_count
            HAVING s.total_minor <> coalesce(sum(l.amount_minor), 0) OR s.line_count <> count(l.line_no)
            ORDER BY 1
            """
        ) {
            report(
                .statementTotals,
                "statement \(try row.decode(String.self, named: "statement_id")): total \(try row.decode(Int64.self, named: "total_minor")) over \(try row.decode(Int.self, named: "line_count")) lines, but its lines sum to \(try row.decode(Int64.self, named: "lines_minor")) over \(try row.decode(Int.self, named: "lines"))"
            )
        }
        for row in try transaction.query(
            """
            SELECT l.statement_id, l.line_no, l.earning_id FROM payout_statement_lines l
            JOIN payout_statements s USING (statement_id) JOIN payout_earnings e USING (earning_id)
            WHERE (l.base_minor, l.vip_minor, l.surge_minor, l.csat_minor, l.clawback_minor, l.amount_minor, l.hourly_minor,
                   l.guarantee_minor, l.minutes_online)
                  IS DISTINCT FROM (e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor, e.clawback_minor, e.amount_minor,
                   e.hourly_minor, e.guarantee_minor, e.minutes_online)
               OR l.amount_minor <> l.base_minor + l.vip_minor + l.surge_minor + l.csat_minor + l.clawback_minor
                                    + l.hourly_minor + l.guarantee_minor
               OR e.period_id <> s.period_id OR e.agent_id <> s.agent_id OR e.currency <> s.currency
            ORDER BY 1, 2
            """
        ) {
            report(
                .statementTotals,
                "statement \(try row.decode(String.self, named: "statement_id")) line \(try row.decode(Int.self, named: "line_no")) does not match earning \(try row.decode(String.self, named: "earning_id"))"
            )
        }
        checked["statements"] = try transaction.query("SELECT count(*) AS count FROM payout_statements").singleRow()
            .decode(Int.self, named: "count")

        // 6. Closed periods are fully on statements.
        for row in try transaction.query(
            """
            SELECT e.earning_id, e.period_id FROM payout_earnings e JOIN payout_periods p USING (period_id)
            WHERE p.status = 'closed' AND NOT EXISTS (SELECT 1 FROM payout_statement_lines l WHERE l.earning_id = e.earning_id)
            ORDER BY 2, 1
            """
        ) {
            report(
                .closedPeriodCovered,
                "earning \(try row.decode(String.self, named: "earning_id")) is in closed period \(try row.decode(String.self, named: "period_id")) but on no statement"
            )
        }

        // 7. Time earnings against the presence record; 8. payout runs against statements and the ledger.
        try self.reconcileTimeEarnings(in: transaction, report: report, checked: &checked)
        try self.reconcileRuns(in: transaction, report: report, checked: &checked)

        for (check, count) in counts where count > self.maximumFindingsPerCheck {
            findings.append(.init(check: check, detail: "… and \(count - self.maximumFindingsPerCheck) more"))
        }
        return ReconciliationReport(findings: findings, checked: checked, currencyTotals: currencyTotals)
    }
}
