/// An amount of money: integer minor units (cents) and an ISO 4217 currency.
///
/// Arithmetic is exact and checked: combining two currencies or overflowing 64 bits throws ``MoneyError`` rather than
/// trapping or wrapping. The only operation that can lose precision is applying a ratio
/// (``multiplied(by:rounding:)``), and it takes its ``RoundingRule`` explicitly (half-even by default).
public struct Money: Sendable, Hashable, CustomStringConvertible {
    /// The amount in the currency's minor unit (cents for EUR). Negative amounts are allowed (a clawback).
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isZero: Bool { self.minorUnits == 0 }
    public var isPositive: Bool { self.minorUnits > 0 }
    public var isNegative: Bool { self.minorUnits < 0 }

    /// `self + other`; throws on different currencies or overflow.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try self.requireSameCurrency(other)
        let (sum, overflow) = self.minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(.overflow, detail: "sum exceeds 64-bit minor units") }
        return Money(minorUnits: sum, currency: self.currency)
    }

    /// `self - other`; throws on different currencies or overflow.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try self.requireSameCurrency(other)
        let (difference, overflow) = self.minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(.overflow, detail: "difference exceeds 64-bit minor units") }
        return Money(minorUnits: difference, currency: self.currency)
    }

    /// `-self`; throws for the one value without a negation (`Int64.min`).
    public func negated() throws(MoneyError) -> Money {
        guard self.minorUnits != .min else { throw MoneyError(.overflow, detail: "cannot negate the smallest amount") }
        return Money(minorUnits: -self.minorUnits, currency: self.currency)
    }

    /// `self × count`, exact.
    public func multiplied(by count: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = self.minorUnits.multipliedReportingOverflow(by: count)
        guard !overflow else { throw MoneyError(.overflow, detail: "product exceeds 64-bit minor units") }
        return Money(minorUnits: product, currency: self.currency)
    }

    /// `self × ratio`, rounded to a whole minor unit by `rounding` (half-even unless stated).
    ///
    /// The product is computed in 128 bits and divided once, so there is exactly one rounding step:
    /// 1.25 EUR × 0.5 (5000 bp) = 0.625 → 0.62 (half-even) or 0.63 (half away from zero); 0.01 EUR × 1.25x = 0.0125
    /// → 0.01. Negative amounts round symmetrically (-0.625 → -0.62 half-even).
    public func multiplied(by ratio: BasisPoints, rounding: RoundingRule = .halfEven) throws(MoneyError) -> Money {
        let exact = Int128(self.minorUnits) * Int128(ratio.value)
        let rounded = rounding.divide(exact, by: Int128(BasisPoints.perWhole))
        guard let minorUnits = Int64(exactly: rounded) else {
            throw MoneyError(.overflow, detail: "product exceeds 64-bit minor units")
        }
        return Money(minorUnits: minorUnits, currency: self.currency)
    }

    /// The sum of `amounts`, all in `currency` (zero when empty).
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency) throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// The amount in major units as a plain decimal string with the currency's digits: `12.30`, `-0.05`, `1500` (JPY).
    public var decimalString: String {
        let digits = self.currency.minorUnitDigits
        let magnitude = self.minorUnits.magnitude
        let sign = self.minorUnits < 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(magnitude)" }
        let scale = UInt64(self.currency.minorUnitsPerMajor)
        let fraction = String(magnitude % scale)
        return "\(sign)\(magnitude / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    /// Parses a plain decimal string in major units (`12.3`, `-0.05`, `7`) exactly; more fraction digits than the
    /// currency has is an error rather than a silent rounding.
    public init(decimal text: String, currency: Currency) throws(MoneyError) {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber),
            fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.count == 1 || !fraction.isEmpty, fraction.count <= currency.minorUnitDigits,
            let major = Int64(whole)
        else {
            throw MoneyError(
                .invalidAmount, detail: "not a decimal amount with at most \(currency.minorUnitDigits) fraction digits")
        }
        let padded = fraction + String(repeating: "0", count: currency.minorUnitDigits - fraction.count)
        let minor = Int64(padded) ?? 0
        let (scaled, overflow1) = major.multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        let (total, overflow2) = scaled.addingReportingOverflow(minor)
        guard !overflow1, !overflow2 else { throw MoneyError(.overflow, detail: "amount exceeds 64-bit minor units") }
        self.init(minorUnits: negative ? -total : total, currency: currency)
    }

    /// `EUR 12.30`.
    public var description: String { "\(self.currency.code) \(self.decimalString)" }

    private func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard self.currency == other.currency else {
            throw MoneyError(.currencyMismatch, detail: "\(self.currency.code) vs \(other.currency.code)")
        }
    }
}
