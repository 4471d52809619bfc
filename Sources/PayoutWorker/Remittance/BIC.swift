/// A Business Identifier Code (ISO 9362): 4 letters (institution), 2 letters (country), 2 letters or digits
/// (location, the second not `O`), optionally 3 letters or digits (branch) — the pattern of the pain.001 schema.
public struct BIC: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(PayoutError) {
        let compact = String(text.filter { $0 != " " }).uppercased()
        let chars = Array(compact)
        func invalid(_ why: String) -> PayoutError { PayoutError(.invalidPayoutDetails, "BIC \(why)") }
        guard chars.count == 8 || chars.count == 11 else {
            throw invalid("must have 8 or 11 characters, not \(chars.count)")
        }
        guard chars.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
            throw invalid("may contain only letters and digits")
        }
        guard chars[0..<6].allSatisfy(\.isLetter) else {
            throw invalid("must start with six letters (institution and country)")
        }
        guard chars[6].isLetter ? true : ("2"..."9").contains(chars[6]) else {
            throw invalid("location code is malformed")
        }
        guard chars[7] != "O" else { throw invalid("location code is malformed") }
        self.value = compact
    }

    public var countryCode: String { String(Array(self.value)[4..<6]) }

    public var description: String { self.value }
}
