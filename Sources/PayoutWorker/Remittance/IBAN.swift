/// An International Bank Account Number, validated: two-letter country code, two check digits, the country's
/// length (ISO 13616 registry, for the countries listed in ``lengths``) and the mod-97 check (ISO 7064: the
/// rearranged number modulo 97 is 1). Stored in the electronic format (upper case, no spaces).
public struct IBAN: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// IBAN lengths per country (SEPA countries and a few more).
    public static let lengths: [String: Int] = [
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
        "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21,
        "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24,
        "SI": 19, "SK": 24, "SM": 27, "VA": 22,
    ]

    /// Parses an IBAN as people write it (spaces allowed, any case); the error says what is wrong without echoing
    /// the number.
    public init(_ text: String) throws(PayoutError) {
        let compact = String(text.filter { $0 != " " }).uppercased()
        func invalid(_ why: String) -> PayoutError { PayoutError(.invalidPayoutDetails, "IBAN \(why)") }
        guard compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw invalid("may contain only letters, digits and spaces")
        }
        let chars = Array(compact)
        guard chars.count >= 15 else { throw invalid("is too short (\(chars.count) characters)") }
        let country = String(chars[0..<2])
        guard chars[0].isLetter, chars[1].isLetter, chars[2].isNumber, chars[3].isNumber else {
            throw invalid("must start with a country code and two check digits")
        }
        guard let length = Self.lengths[country] else { throw invalid("country \(country) is not supported") }
        guard chars.count == length else {
            throw invalid("for \(country) must have \(length) characters, not \(chars.count)")
        }
        // Move the first four characters to the end, letters to numbers (A = 10 … Z = 35), modulo 97, digit by digit.
        var remainder = 0
        for char in chars[4...] + chars[0..<4] {
            let digits: Int
            if let digit = char.wholeNumberValue {
                digits = digit
                remainder = (remainder * 10 + digits) % 97
            } else if let ascii = char.asciiValue {
                digits = Int(ascii) - 55
                remainder = (remainder * 100 + digits) % 97
            }
        }
        guard remainder == 1 else { throw invalid("check digits do not match (mod 97)") }
        self.value = compact
    }

    public var countryCode: String { String(self.value.prefix(2)) }

    /// The first four and last four characters, the rest masked: `SE45****************7466`.
    public var masked: String {
        String(self.value.prefix(4)) + String(repeating: "*", count: max(self.value.count - 8, 0))
            + String(self.value.suffix(4))
    }

    /// Groups of four, as printed for people.
    public var printed: String {
        var groups: [String] = []
        var rest = Substring(self.value)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// Masked: an IBAN is not logged whole.
    public var description: String { self.masked }
}
