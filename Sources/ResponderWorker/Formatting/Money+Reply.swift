public import ConciergeCore

extension Money {
    /// The amount as a customer reads it: English `1,249.99 EUR`, German `1.249,99 €` (the currency's own number
    /// of minor digits: `1,500 JPY`, `1.234 KWD`).
    public func formatted(_ language: ReplyLanguage) -> String {
        let digits = self.currency.minorUnitDigits
        let scale = UInt64(self.currency.minorUnitsPerMajor)
        let magnitude = self.minorUnits.magnitude
        let (group, decimal) = language == .de ? (".", ",") : (",", ".")
        var whole = String(magnitude / scale)
        var grouped = ""
        while whole.count > 3 {
            grouped = group + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        var number = whole + grouped
        if digits > 0 {
            let fraction = String(magnitude % scale)
            number += decimal + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        if self.minorUnits < 0 { number = "-" + number }
        switch language {
        case .en: return "\(number) \(self.currency.code)"
        case .de: return "\(number) \(Self.symbol(of: self.currency.code) ?? self.currency.code)"
        }
    }

    static func symbol(of code: String) -> String? {
        switch code {
        case "EUR": "€"
        case "GBP": "£"
        case "USD": "$"
        default: nil
        }
    }
}
