/// One line of a journal transaction: a positive amount on one side of one account, with an optional tag that says
/// which part of a price it carries (the payout ledger tags `base`, `vip`, `surge`, `csat`, `clawback`).
public struct LedgerPosting: Sendable, Hashable {
    public var account: LedgerAccount
    public var side: LedgerSide
    /// Always positive; the side carries the direction.
    public var amount: Money
    public var tag: String?

    public init(account: LedgerAccount, side: LedgerSide, amount: Money, tag: String? = nil) {
        self.account = account
        self.side = side
        self.amount = amount
        self.tag = tag
    }

    /// The amount as a signed number, debit positive: what the posting adds to its account's debit balance.
    public var signedMinorUnits: Int64 { self.side == .debit ? self.amount.minorUnits : -self.amount.minorUnits }
}
