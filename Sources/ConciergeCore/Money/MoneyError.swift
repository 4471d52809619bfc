/// Why a money or ledger operation was refused. `description` is safe to log (codes and currency codes only).
public struct MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The currency code is not a supported ISO 4217 code.
        public static let unknownCurrency = Code("unknown_currency")
        /// Two amounts in different currencies were combined.
        public static let currencyMismatch = Code("currency_mismatch")
        /// The result does not fit in 64-bit minor units.
        public static let overflow = Code("overflow")
        /// A value is out of its allowed range (a negative multiplier, a malformed decimal).
        public static let invalidAmount = Code("invalid_amount")
        /// A journal transaction has no postings.
        public static let emptyTransaction = Code("empty_transaction")
        /// A posting's amount is zero or negative (postings carry positive amounts and a side).
        public static let nonPositivePosting = Code("non_positive_posting")
        /// A journal transaction's debits and credits differ in some currency.
        public static let unbalanced = Code("unbalanced")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
