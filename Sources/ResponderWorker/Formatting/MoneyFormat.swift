public import ConciergeCore

/// How a language writes an amount, read from the `money:` section of its `config/replies/<language>.yaml`:
/// English `1,249.99 EUR`, German `1.249,99 €`, Swedish `1 249,99 kr`. The currency's own number of minor digits
/// is kept (`1,500 JPY`, `1.234 KWD`); the whole part is grouped in threes.
public struct MoneyFormat: Sendable, Hashable {
    public var decimalSeparator: String
    /// Between groups of three digits; empty for no grouping.
    public var groupingSeparator: String
    /// Where the number and the currency go: `{number}` and `{currency}` (`"{number} {currency}"`).
    public var pattern: ReplyTemplate
    /// The currency as this language writes it, by ISO code (`EUR: €`); a currency not listed is written as its code.
    public var currencySymbols: [String: String]

    public init(
        decimalSeparator: String, groupingSeparator: String, pattern: ReplyTemplate, currencySymbols: [String: String]
    ) {
        self.decimalSeparator = decimalSeparator
        self.groupingSeparator = groupingSeparator
        self.pattern = pattern
        self.currencySymbols = currencySymbols
    }

    /// The format the agents' fact summaries and the LLM's fact lines use, whatever the customer's language:
    /// `1,249.99 EUR`.
    public static let facts = MoneyFormat(
        decimalSeparator: ".", groupingSeparator: ",",
        pattern: ReplyTemplate(segments: [.placeholder("number"), .text(" "), .placeholder("currency")]),
        currencySymbols: [:]
    )

    public func format(_ money: Money) -> String {
        let digits = money.currency.minorUnitDigits
        let scale = UInt64(money.currency.minorUnitsPerMajor)
        let magnitude = money.minorUnits.magnitude
        var whole = String(magnitude / scale)
        var grouped = ""
        while whole.count > 3 {
            grouped = self.groupingSeparator + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        var number = whole + grouped
        if digits > 0 {
            let fraction = String(magnitude % scale)
            number += self.decimalSeparator + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        if money.minorUnits < 0 { number = "-" + number }
        let code = money.currency.code
        return self.pattern.render(["number": number, "currency": self.currencySymbols[code] ?? code])
    }
}
