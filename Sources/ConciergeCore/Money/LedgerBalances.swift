/// Running balances of accounts per currency, as the sum of posted transactions (debit positive).
///
/// Because every ``JournalTransaction`` is balanced, the balances of all accounts in a currency always sum to zero;
/// ``isBalanced`` checks exactly that, which is what a reconciliation of a whole ledger asserts.
public struct LedgerBalances: Sendable, Hashable {
    public struct Key: Sendable, Hashable {
        public var account: LedgerAccount
        public var currency: Currency
    }

    public private(set) var debitBalances: [Key: Int64] = [:]

    public init() {}

    /// Adds a transaction's postings.
    public mutating func post(_ transaction: JournalTransaction) {
        for posting in transaction.postings {
            self.debitBalances[Key(account: posting.account, currency: posting.amount.currency), default: 0] +=
                posting.signedMinorUnits
        }
    }

    /// The debit balance of an account (negative for a credit balance, as an agent's payable normally has).
    public func debitBalance(of account: LedgerAccount, in currency: Currency) -> Int64 {
        self.debitBalances[Key(account: account, currency: currency)] ?? 0
    }

    /// What is owed on a credit-normal account (a payable): its credit balance.
    public func creditBalance(of account: LedgerAccount, in currency: Currency) -> Money {
        Money(minorUnits: -self.debitBalance(of: account, in: currency), currency: currency)
    }

    /// Whether every currency's balances sum to zero.
    public var isBalanced: Bool {
        var sums: [Currency: Int64] = [:]
        for (key, balance) in self.debitBalances { sums[key.currency, default: 0] += balance }
        return sums.values.allSatisfy { $0 == 0 }
    }
}
