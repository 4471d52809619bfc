public import ConciergeCore
public import ConciergePostgres
public import Foundation

/// The payment instructions of a run as a bank takes them: one credit transfer per instruction, grouped by
/// currency, each paid from the debtor account configured for that currency.
public struct Remittance: Sendable, Hashable {
    public struct Transfer: Sendable, Hashable {
        public var endToEndID: String
        public var agentRef: String
        public var amount: Money
        public var creditorName: String
        public var iban: IBAN
        public var bic: BIC?
        public var reference: String

        public init(
            endToEndID: String, agentRef: String, amount: Money, creditorName: String, iban: IBAN, bic: BIC?,
            reference: String
        ) {
            self.endToEndID = endToEndID
            self.agentRef = agentRef
            self.amount = amount
            self.creditorName = creditorName
            self.iban = iban
            self.bic = bic
            self.reference = reference
        }
    }

    public var runID: String
    public var periodID: String
    public var createdAt: Date
    public var transfers: [Transfer]

    public init(runID: String, periodID: String, createdAt: Date, transfers: [Transfer]) {
        self.runID = runID
        self.periodID = periodID
        self.createdAt = createdAt
        self.transfers = transfers
    }

    /// Loads and re-validates a run's instructions (IBAN check digits, BIC format, positive amounts): a stored row
    /// that no longer validates stops the file, naming the instruction. Only pending instructions unless
    /// `includeSettled` (an audit copy): a file written again after the bank's results never asks to pay twice.
    public static func load(runID: String, includeSettled: Bool = false, in transaction: PostgresTransaction) throws
        -> Remittance
    {
        guard
            let head = try transaction.query("SELECT period_id, created_at FROM payout_runs WHERE run_id = $1", [runID])
                .first
        else {
            throw PayoutError(.noPayoutRun, "no payout run \(runID); make it with conciergectl payouts pay")
        }
        let periodID = try head.decode(String.self, named: "period_id")
        var transfers: [Transfer] = []
        for row in try transaction.query(
            """
            SELECT i.instruction_id, a.agent_ref, i.currency, i.amount_minor, i.account_holder, i.iban, i.bic
            FROM payout_instructions i JOIN payout_agents a USING (agent_id)
            WHERE i.run_id = $1 AND ($2 OR NOT EXISTS (SELECT 1 FROM payout_settlements s WHERE s.instruction_id = i.instruction_id))
            ORDER BY i.currency, i.instruction_id
            """,
            [runID, includeSettled]
        ) {
            let id = try row.decode(String.self, named: "instruction_id")
            let currency = try Currency(code: try row.decode(String.self, named: "currency"))
            let amount = Money(minorUnits: try row.decode(Int64.self, named: "amount_minor"), currency: currency)
            guard amount.isPositive else { throw PayoutError(.invalidRemittance, "\(id): amount must be positive") }
            let iban: IBAN
            let bic: BIC?
            do {
                iban = try IBAN(try row.decode(String.self, named: "iban"))
                bic = try row.decode(String?.self, named: "bic").map { (text: String) throws(PayoutError) -> BIC in
                    try BIC(text)
                }
            } catch let error as PayoutError {
                throw PayoutError(.invalidRemittance, "\(id): \(error.detail)")
            }
            let agentRef = try row.decode(String.self, named: "agent_ref")
            transfers.append(
                Transfer(
                    endToEndID: id, agentRef: agentRef, amount: amount,
                    creditorName: try row.decode(String.self, named: "account_holder"),
                    iban: iban, bic: bic, reference: "Concierge payout \(periodID) \(agentRef)"
                )
            )
        }
        return Remittance(
            runID: runID, periodID: periodID, createdAt: try head.decode(Date.self, named: "created_at"),
            transfers: transfers)
    }

    /// The transfers per currency, in code order.
    public var byCurrency: [(currency: Currency, transfers: [Transfer])] {
        Dictionary(grouping: self.transfers, by: \.amount.currency).sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
    }

    /// Sum of amounts in minor units, checked for overflow.
    static func controlSum(_ transfers: [Transfer]) throws(PayoutError) -> Int64 {
        var total: Int64 = 0
        for transfer in transfers {
            let (sum, overflow) = total.addingReportingOverflow(transfer.amount.minorUnits)
            guard !overflow else { throw PayoutError(.invalidRemittance, "control sum overflows") }
            total = sum
        }
        return total
    }

    /// CSV for banks that take a file of transfers: one row per instruction, then one control row per currency.
    public func csv() throws(PayoutError) -> String {
        var writer = CSVWriter()
        writer.row([
            "end_to_end_id", "agent_ref", "creditor_name", "iban", "bic", "currency", "amount", "amount_minor",
            "reference",
        ])
        var controls: [[String]] = []
        for (currency, transfers) in self.byCurrency {
            for transfer in transfers {
                writer.row([
                    transfer.endToEndID, transfer.agentRef, transfer.creditorName, transfer.iban.value,
                    transfer.bic?.value ?? "",
                    currency.code, transfer.amount.decimalString, String(transfer.amount.minorUnits),
                    transfer.reference,
                ])
            }
            let sum = Money(minorUnits: try Self.controlSum(transfers), currency: currency)
            controls.append([
                "CONTROL", "", "\(transfers.count) transfers", "", "", currency.code, sum.decimalString,
                String(sum.minorUnits), self.runID,
            ])
        }
        for control in controls { writer.row(control) }
        return writer.text
    }
}
