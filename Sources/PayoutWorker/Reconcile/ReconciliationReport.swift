/// What `payouts reconcile` found. Empty ``findings`` means the ledger, the earnings and the statements agree.
public struct ReconciliationReport: Sendable, Hashable, CustomStringConvertible {
    /// One disagreement, with a bounded ``check`` name and ids that locate it (never customer data).
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var check: Check
        public var detail: String

        public var description: String { "[\(check.rawValue)] \(detail)" }
    }

    /// The checks the reconciler runs.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// Debits equal credits per currency over the whole ledger.
        case ledgerBalancesPerCurrency = "ledger_balances_per_currency"
        /// Every ledger transaction balances per currency.
        case transactionBalanced = "transaction_balanced"
        /// Every resolved assignment has exactly the earnings its facts and rate card imply, with those amounts.
        case assignmentEarnings = "assignment_earnings"
        /// Every earning's ledger entries carry exactly its components (net of a reversal).
        case earningPosted = "earning_posted"
        /// Every statement equals the sum of its lines, and each line its earning.
        case statementTotals = "statement_totals"
        /// Every earning booked in a closed period is on exactly one statement line.
        case closedPeriodCovered = "closed_period_covered"
        /// Every closed period's hourly pay and guarantee top-ups are what its presence record and rate cards give.
        case timeEarnings = "time_earnings"
        /// Every payment instruction pays exactly the closed statements it covers (their lines), in its agent's
        /// currency, and no statement is covered by two live (pending or paid) instructions.
        case payoutRuns = "payout_runs"
        /// Every instruction and bank result is posted once with its amount: payable -> in transit -> bank, or back.
        case paymentsPosted = "payments_posted"
        /// The payments-in-transit account holds exactly the pending instructions (zero once a run is settled).
        case inTransitBalance = "in_transit_balance"
    }

    public var findings: [Finding]
    /// Counts of what was checked, for the summary.
    public var checked: [String: Int]
    /// Ledger totals per currency: (debits, credits) in minor units.
    public var currencyTotals: [String: (debits: Int64, credits: Int64)]

    public var isClean: Bool { self.findings.isEmpty }

    public static func == (lhs: ReconciliationReport, rhs: ReconciliationReport) -> Bool {
        lhs.findings == rhs.findings && lhs.checked == rhs.checked
            && lhs.currencyTotals.mapValues { [$0.debits, $0.credits] }
                == rhs.currencyTotals.mapValues { [$0.debits, $0.credits] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.findings)
    }

    public var description: String {
        var lines: [String] = []
        for (currency, totals) in self.currencyTotals.sorted(by: { $0.key < $1.key }) {
            lines.append("ledger \(currency): debits \(totals.debits), credits \(totals.credits) (minor units)")
        }
        lines.append(
            "checked: "
                + self.checked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if self.isClean {
            lines.append("reconcile: OK")
        } else {
            lines.append("reconcile: \(self.findings.count) problem(s)")
            lines += self.findings.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
