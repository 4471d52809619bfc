import ConciergeCore
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        // (minor units, basis points, half-even, half away from zero, toward zero)
        (125, 5000, 62, 63, 62),  // 0.625 -> 0.62 (even) / 0.63
        (135, 5000, 68, 68, 67),  // 0.675 -> 0.68 (even is 8)
        (1, 5000, 0, 1, 0),  // 0.005 -> 0.00 / 0.01
        (3, 5000, 2, 2, 1),  // 0.015 -> 0.02
        (-125, 5000, -62, -63, -62),  // symmetric for negatives
        (-3, 5000, -2, -2, -1),
        (650, 2500, 162, 163, 162),  // 162.5
        (1, 12500, 1, 1, 1),  // 1.25 -> 1
        (999, 10000, 999, 999, 999),  // identity
        (0, 12345, 0, 0, 0),
        (7, 3333, 2, 2, 2),  // 2.3331
        (5, 9000, 4, 5, 4),  // 4.5
    ])
    func basisPointRoundingEdges(_ minor: Int64, _ bp: Int64, _ halfEven: Int64, _ halfAway: Int64, _ truncated: Int64)
        throws
    {
        let amount = Money(minorUnits: minor, currency: .eur)
        #expect(try amount.multiplied(by: BasisPoints(bp)).minorUnits == halfEven)
        #expect(try amount.multiplied(by: BasisPoints(bp), rounding: .halfAwayFromZero).minorUnits == halfAway)
        #expect(try amount.multiplied(by: BasisPoints(bp), rounding: .towardZero).minorUnits == truncated)
    }

    @Test func halfEvenIsUnbiasedOverManyHalves() throws {
        // 0.5, 1.5, 2.5, ... 99.5 in minor units: half-even rounds half of them down, so the sum stays exact.
        var rounded: Int64 = 0
        for minor in stride(from: Int64(1), through: 199, by: 2) {
            rounded += try Money(minorUnits: minor, currency: .eur).multiplied(by: BasisPoints(5000)).minorUnits
        }
        #expect(rounded == (1...199).filter { $0 % 2 == 1 }.reduce(0, +) / 2)
    }

    @Test func largeAmountsDoNotOverflowTheIntermediateProduct() throws {
        let big = Money(minorUnits: Int64.max / 2, currency: .eur)
        #expect(try big.multiplied(by: BasisPoints(10000)) == big)
        #expect(throws: MoneyError.self) { try big.multiplied(by: BasisPoints(30000)) }
        #expect(throws: MoneyError.self) {
            try Money(minorUnits: .max, currency: .eur).adding(Money(minorUnits: 1, currency: .eur))
        }
        #expect(throws: MoneyError.self) { try Money(minorUnits: .min, currency: .eur).negated() }
    }

    @Test func currenciesDoNotMix() {
        let error = #expect(throws: MoneyError.self) {
            try Money(minorUnits: 1, currency: .eur).adding(Money(minorUnits: 1, currency: .gbp))
        }
        #expect(error?.code == .currencyMismatch)
    }

    @Test func currencyCodesAreISO4217WithTheirDigits() throws {
        #expect(try Currency(code: "EUR").minorUnitDigits == 2)
        #expect(try Currency(code: "JPY").minorUnitDigits == 0)
        #expect(try Currency(code: "KWD").minorUnitsPerMajor == 1000)
        #expect(throws: MoneyError.self) { try Currency(code: "EUT") }
        #expect(throws: MoneyError.self) { try Currency(code: "eur") }
    }

    @Test(arguments: [
        ("12.30", "EUR", 1230), ("-0.05", "EUR", -5), ("7", "EUR", 700), ("1500", "JPY", 1500), ("0.125", "KWD", 125),
        ("+1.5", "GBP", 150),
    ])
    func decimalsParseExactly(_ text: String, _ code: String, _ minor: Int64) throws {
        let money = try Money(decimal: text, currency: try Currency(code: code))
        #expect(money.minorUnits == minor)
        #expect(try Money(decimal: money.decimalString, currency: money.currency) == money)
    }

    @Test(arguments: ["1.234", "1.", ".5", "1,5", "abc", "", "1e3", "--1"])
    func malformedDecimalsAreRejectedNotRounded(_ text: String) {
        #expect(throws: MoneyError.self) { try Money(decimal: text, currency: .eur) }
    }

    @Test func decimalStringsUseTheCurrencyDigits() {
        #expect(Money(minorUnits: 1230, currency: .eur).decimalString == "12.30")
        #expect(Money(minorUnits: -5, currency: .eur).decimalString == "-0.05")
        #expect(Money(minorUnits: 1500, currency: .jpy).decimalString == "1500")
        #expect(Money(minorUnits: 1, currency: .kwd).description == "KWD 0.001")
    }

    @Test func journalTransactionsMustBalancePerCurrency() throws {
        let ten = Money(minorUnits: 1000, currency: .eur)
        let payable = LedgerAccount.agentPayable("a1")
        let balanced = try JournalTransaction(
            postings: JournalTransaction.transfer(ten, debit: .agentFeesExpense, credit: payable))
        #expect(balanced.postings.count == 2)

        let unbalanced = #expect(throws: MoneyError.self) {
            try JournalTransaction(postings: [
                LedgerPosting(account: .agentFeesExpense, side: .debit, amount: ten),
                LedgerPosting(account: payable, side: .credit, amount: Money(minorUnits: 999, currency: .eur)),
            ])
        }
        #expect(unbalanced?.code == .unbalanced)
        // Balanced in total minor units but across two currencies is still unbalanced.
        #expect(throws: MoneyError.self) {
            try JournalTransaction(postings: [
                LedgerPosting(account: .agentFeesExpense, side: .debit, amount: ten),
                LedgerPosting(account: payable, side: .credit, amount: Money(minorUnits: 1000, currency: .gbp)),
            ])
        }
        #expect(throws: MoneyError.self) { try JournalTransaction(postings: []) }
        #expect(throws: MoneyError.self) {
            try JournalTransaction(postings: [
                LedgerPosting(account: .agentFeesExpense, side: .debit, amount: .zero(.eur)),
                LedgerPosting(account: payable, side: .credit, amount: .zero(.eur)),
            ])
        }
    }

    @Test func negativeTransfersSwapAccountsAndReversalsCancel() throws {
        let payable = LedgerAccount.agentPayable("a1")
        let clawback = try JournalTransaction(
            postings: JournalTransaction.transfer(
                Money(minorUnits: -500, currency: .eur), debit: .agentFeesExpense, credit: payable)
        )
        #expect(clawback.postings.allSatisfy { $0.amount.isPositive })
        #expect(clawback.postings.first { $0.side == .debit }?.account == payable)
        #expect(try JournalTransaction.transfer(.zero(.eur), debit: .agentFeesExpense, credit: payable).isEmpty)

        var balances = LedgerBalances()
        let fee = try JournalTransaction(
            postings: JournalTransaction.transfer(
                Money(minorUnits: 812, currency: .eur), debit: .agentFeesExpense, credit: payable))
        balances.post(fee)
        #expect(balances.creditBalance(of: payable, in: .eur).minorUnits == 812)
        balances.post(clawback)
        #expect(balances.creditBalance(of: payable, in: .eur).minorUnits == 312)
        balances.post(fee.reversal())
        #expect(balances.creditBalance(of: payable, in: .eur).minorUnits == -500)
        #expect(balances.isBalanced)
    }
}
