/// An ISO 4217 currency: its three-letter code and how many decimal digits its minor unit has (EUR 2, JPY 0, KWD 3).
///
/// Only the currencies in ``supported`` are accepted, so a typo in a rate card (`EUR` vs `EUT`) fails at load time
/// instead of producing amounts in a currency nobody can pay.
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The ISO 4217 alphabetic code, upper case.
    public let code: String
    /// Digits after the decimal point in the major unit: 2 for EUR (1 EUR = 100 cents), 0 for JPY.
    public let minorUnitDigits: Int

    private init(code: String, minorUnitDigits: Int) {
        self.code = code
        self.minorUnitDigits = minorUnitDigits
    }

    /// The supported currency with this code.
    public init(code: String) throws(MoneyError) {
        guard let currency = Self.supported[code] else {
            throw MoneyError(.unknownCurrency, detail: "unsupported currency code '\(code.prefix(8))'")
        }
        self = currency
    }

    public static let eur = Currency(code: "EUR", minorUnitDigits: 2)
    public static let gbp = Currency(code: "GBP", minorUnitDigits: 2)
    public static let usd = Currency(code: "USD", minorUnitDigits: 2)
    public static let sek = Currency(code: "SEK", minorUnitDigits: 2)
    public static let nok = Currency(code: "NOK", minorUnitDigits: 2)
    public static let dkk = Currency(code: "DKK", minorUnitDigits: 2)
    public static let chf = Currency(code: "CHF", minorUnitDigits: 2)
    public static let pln = Currency(code: "PLN", minorUnitDigits: 2)
    public static let czk = Currency(code: "CZK", minorUnitDigits: 2)
    public static let jpy = Currency(code: "JPY", minorUnitDigits: 0)
    public static let kwd = Currency(code: "KWD", minorUnitDigits: 3)

    /// The currencies the fleet can price in, by code.
    public static let supported: [String: Currency] = Dictionary(
        uniqueKeysWithValues: [eur, gbp, usd, sek, nok, dkk, chf, pln, czk, jpy, kwd].map { ($0.code, $0) }
    )

    /// Minor units in one major unit (100 for EUR).
    public var minorUnitsPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<self.minorUnitDigits { value *= 10 }
        return value
    }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    public var description: String { self.code }
}
