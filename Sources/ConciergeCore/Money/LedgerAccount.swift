/// A ledger account, named by a stable string that is stored with every entry.
///
/// The payout ledger uses two kinds: ``agentFeesExpense`` (what the company spends on agent fees; debit-normal) and
/// ``agentPayable(_:)`` (what the company owes one agent; credit-normal), named `agent_payable:<agent id>`.
public struct LedgerAccount: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    /// Expense account that every agent fee is debited to.
    public static let agentFeesExpense = LedgerAccount("agent_fees_expense")

    /// The liability account for what is owed to one agent.
    public static func agentPayable(_ agentID: String) -> LedgerAccount { LedgerAccount("agent_payable:\(agentID)") }

    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool { lhs.name < rhs.name }

    public var description: String { self.name }
}
