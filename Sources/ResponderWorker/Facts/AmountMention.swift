import Foundation

/// An amount of money mentioned in an inquiry: "49.99", "€32,50", "25 euro", "£1,200". A bare integer without a
/// currency marker ("order 10293") is not an amount.
struct AmountMention: Sendable, Hashable {
    /// Hundredths of the major unit (the inquiry does not say which currency's exponent applies; EUR and GBP use 2).
    var hundredths: Int64
    /// `EUR`, `GBP` or nil when the text names no currency.
    var currency: String?

    /// Every amount in `text`.
    static func find(in text: String) -> [AmountMention] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var mentions: [AmountMention] = []
        var index = 0
        while index < scalars.count {
            guard Self.isDigit(scalars[index]), index == 0 || !Self.isWordCharacter(scalars[index - 1]) else {
                index += 1
                continue
            }
            let start = index
            var end = index
            while end < scalars.count,
                Self.isDigit(scalars[end])
                    || ((scalars[end] == "." || scalars[end] == ","))
                        && end + 1 < scalars.count && Self.isDigit(scalars[end + 1])
            {
                end += 1
            }
            let number = String(String.UnicodeScalarView(scalars[start..<end]))
            index = end
            guard end >= scalars.count || !Self.isLetterAdjacentReference(scalars[end]) else { continue }
            let before = String(String.UnicodeScalarView(scalars[max(0, start - 5)..<start]))
            let after = String(String.UnicodeScalarView(scalars[end..<min(scalars.count, end + 7)]))
            let currency = Self.currency(before: before, after: after)
            guard let hundredths = Self.hundredths(number, hasCurrency: currency != nil) else { continue }
            mentions.append(AmountMention(hundredths: hundredths, currency: currency))
        }
        return mentions
    }

    /// Reads "1,249.99", "1.249,99", "49,99", "25" as hundredths. Without a currency marker only numbers with exactly
    /// two decimals count.
    static func hundredths(_ number: String, hasCurrency: Bool) -> Int64? {
        let separators = number.enumerated().filter { $0.element == "." || $0.element == "," }
        var integerPart = number
        var fraction = ""
        if let last = separators.last {
            let tail = number.count - last.offset - 1
            if tail == 2 || (tail == 1 && hasCurrency) {
                integerPart = String(number.prefix(last.offset))
                fraction = String(number.suffix(tail))
            }
        }
        if fraction.isEmpty && !hasCurrency { return nil }
        let digits = integerPart.filter(\.isNumber)
        guard !digits.isEmpty, digits.count <= 12, let major = Int64(digits) else { return nil }
        let minor = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        return major * 100 + minor
    }

    static func currency(before: String, after: String) -> String? {
        let after = after.trimmingPrefixWhitespace()
        if before.hasSuffix("€") || before.hasSuffix("€ ") || after.hasPrefix("€") || after.hasPrefix("eur") {
            return "EUR"
        }
        if before.hasSuffix("£") || before.hasSuffix("£ ") || after.hasPrefix("£") || after.hasPrefix("gbp")
            || after.hasPrefix("pound") || after.hasPrefix("quid")
        {
            return "GBP"
        }
        return nil
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        Self.isDigit(scalar) || (scalar >= "a" && scalar <= "z") || scalar == "-" || scalar == "_"
    }

    /// A number glued to letters ("2nd", "10293a") is not an amount.
    static func isLetterAdjacentReference(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || scalar == "-" || scalar == "_"
    }
}

extension String {
    fileprivate func trimmingPrefixWhitespace() -> String {
        String(self.drop { $0 == " " })
    }
}
