/// A balanced set of postings that is recorded as one unit.
///
/// The initialiser enforces double-entry: at least one posting, every amount positive, and in every currency the
/// debits equal the credits. A posted transaction is never changed; a mistake is undone by posting
/// ``reversal()``, which moves the same amounts the other way.
public struct JournalTransaction: Sendable, Hashable {
    public let postings: [LedgerPosting]

    public init(postings: [LedgerPosting]) throws(MoneyError) {
        guard !postings.isEmpty else { throw MoneyError(.emptyTransaction, detail: "a transaction needs postings") }
        for posting in postings where !posting.amount.isPositive {
            throw MoneyError(.nonPositivePosting, detail: "posting to \(posting.account) is not positive")
        }
        for (currency, totals) in try Self.totals(postings) where totals.debits != totals.credits {
            throw MoneyError(
                .unbalanced,
                detail: "\(currency.code) debits \(totals.debits) != credits \(totals.credits) (minor units)"
            )
        }
        self.postings = postings
    }

    /// A debit of `amount` to `debit` and a credit of the same amount to `credit`; a zero amount gives no postings
    /// (callers skip it), a negative one swaps the accounts so that both postings stay positive.
    public static func transfer(_ amount: Money, debit: LedgerAccount, credit: LedgerAccount, tag: String? = nil)
        throws(MoneyError) -> [LedgerPosting]
    {
        if amount.isZero { return [] }
        let positive = amount.isNegative ? try amount.negated() : amount
        let (from, to) = amount.isNegative ? (credit, debit) : (debit, credit)
        return [
            LedgerPosting(account: from, side: .debit, amount: positive, tag: tag),
            LedgerPosting(account: to, side: .credit, amount: positive, tag: tag),
        ]
    }

    /// The transaction that undoes this one: every posting on the opposite side.
    public func reversal() -> JournalTransaction {
        // Swapping sides keeps each currency balanced, so the checks cannot fail.
        try! JournalTransaction(
            postings: self.postings.map { posting in
                var reversed = posting
                reversed.side = posting.side.opposite
                return reversed
            })
    }

    /// Debit and credit totals per currency, in minor units (checked for overflow).
    public static func totals(_ postings: [LedgerPosting]) throws(MoneyError) -> [Currency: (
        debits: Int64, credits: Int64
    )] {
        var totals: [Currency: (debits: Int64, credits: Int64)] = [:]
        for posting in postings {
            var entry = totals[posting.amount.currency] ?? (0, 0)
            let overflow: Bool
            if posting.side == .debit {
                (entry.debits, overflow) = entry.debits.addingReportingOverflow(posting.amount.minorUnits)
            } else {
                (entry.credits, overflow) = entry.credits.addingReportingOverflow(posting.amount.minorUnits)
            }
            guard !overflow else {
                throw MoneyError(.overflow, detail: "\(posting.amount.currency.code) total overflows")
            }
            totals[posting.amount.currency] = entry
        }
        return totals
    }
}
