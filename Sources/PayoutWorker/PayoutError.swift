/// A payout operation that cannot proceed: settings, rate cards, periods, reconciliation input.
/// `description` is safe to log (ids and codes, never customer data). Loading `config/payouts.yaml` throws
/// ``ConfigurationFileError`` instead, like every loader of `config/`.
public struct PayoutError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A rate card cannot price (a value out of range, a pay model without its rate) or a stored definition does
        /// not decode.
        public static let invalidRateCards = Code("invalid_rate_cards")
        /// A rate-card version stored in the database differs from the file: versions are immutable.
        public static let rateCardChanged = Code("rate_card_changed")
        /// No rate card covers the market at that time.
        public static let noRateCard = Code("no_rate_card")
        /// A period id is malformed or its cadence does not match the configured one.
        public static let invalidPeriod = Code("invalid_period")
        /// The period has not ended yet (close it early with the explicit override).
        public static let periodNotOver = Code("period_not_over")
        /// The period is not closed (it has no statements to export).
        public static let periodOpen = Code("period_open")
        /// Periods of another cadence overlap the one needed.
        public static let periodOverlap = Code("period_overlap")
        /// A ledger transaction cannot be reversed (unknown, already reversed, or itself a reversal).
        public static let notReversible = Code("not_reversible")
        /// A statement that must return one row returned none or several.
        public static let unexpectedRows = Code("unexpected_rows")
        /// The period has no payout run yet (`payouts pay --period P` makes it).
        public static let noPayoutRun = Code("no_payout_run")
        /// Payout details (account holder, IBAN, BIC) are malformed: the detail says which and why.
        public static let invalidPayoutDetails = Code("invalid_payout_details")
        /// A bank result file is malformed or names an unknown instruction: nothing of it was applied.
        public static let invalidBankResult = Code("invalid_bank_result")
        /// A remittance file would not be valid (amount, control sum, IBAN, BIC, currency).
        public static let invalidRemittance = Code("invalid_remittance")
        /// No statement for that agent and period.
        public static let noStatement = Code("no_statement")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
