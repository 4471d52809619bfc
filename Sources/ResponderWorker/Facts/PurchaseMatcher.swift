import ConciergeCore

/// Finds which of a customer's purchases an inquiry is about, from what the text mentions: an order reference, a
/// shop's name, an amount (of the purchase, an instalment, a payment or a refund).
public struct PurchaseMatcher: Sendable {
    /// Shop names the fleet knows beyond the customer's own purchases, so "my Argos order" from a customer with no
    /// Argos purchase is recognised as a mention that matches nothing (rather than as no mention at all).
    public var knownMerchants: [String] {
        didSet { self.paddedMerchants = self.knownMerchants.map(TextFolding.padded) }
    }
    private var paddedMerchants: [String]

    public init(knownMerchants: [String] = DemoFacts.merchants.map(\.name)) {
        self.knownMerchants = knownMerchants
        self.paddedMerchants = knownMerchants.map(TextFolding.padded)
    }

    /// What the text says about purchases.
    public enum Mention: Sendable, Hashable {
        /// The text names no purchase: the intent decides which purchases are relevant.
        case none
        /// The text names a purchase and these match it (one: found; several: ambiguous; none: not on record).
        case matched([Purchase])
    }

    public func mention(in text: String, purchases: [Purchase]) -> Mention {
        let words = TextFolding.tokens(text)
        let padded = TextFolding.padded(tokens: words)
        let tokens = Set(words)

        let byReference = purchases.filter { purchase in
            let reference = TextFolding.padded(purchase.orderReference)
            if TextFolding.contains(padded, words: reference) { return true }
            let digits = purchase.orderReference.filter(\.isNumber)
            return digits.count >= 4 && tokens.contains(digits)
        }
        if !byReference.isEmpty { return .matched(byReference) }

        let amounts = AmountMention.find(in: text)
        let byAmount =
            amounts.isEmpty
            ? []
            : purchases.filter { purchase in
                amounts.contains { Self.matches($0, purchase) }
            }
        let byMerchant = purchases.filter { TextFolding.contains(padded, words: TextFolding.padded($0.merchant)) }
        let mentionsOtherMerchant = self.paddedMerchants.contains { TextFolding.contains(padded, words: $0) }

        switch (byMerchant.isEmpty, byAmount.isEmpty) {
        case (false, false):
            let both = byMerchant.filter { purchase in byAmount.contains { $0.id == purchase.id } }
            return .matched(both.isEmpty ? byMerchant : both)
        case (false, true):
            return .matched(byMerchant)
        case (true, false):
            return mentionsOtherMerchant ? .matched([]) : .matched(byAmount)
        case (true, true):
            if mentionsOtherMerchant { return .matched([]) }
            // An amount or an order-like reference that matches nothing on record.
            if !amounts.isEmpty || Self.mentionsOrderReference(tokens: words) { return .matched([]) }
            return .none
        }
    }

    /// An amount mention equals the purchase total, an instalment, a payment or a refund of that purchase.
    static func matches(_ mention: AmountMention, _ purchase: Purchase) -> Bool {
        if let currency = mention.currency, currency != purchase.amount.currency.code { return false }
        guard purchase.amount.currency.minorUnitDigits == 2 else { return false }
        var amounts = [purchase.amount.minorUnits]
        amounts += purchase.plan?.instalments.map(\.amount.minorUnits) ?? []
        amounts += purchase.plan?.instalments.map(\.lateFee.minorUnits).filter { $0 > 0 } ?? []
        amounts += purchase.payments.map(\.amount.minorUnits)
        amounts += purchase.refunds.map(\.amount.minorUnits)
        return amounts.contains(mention.hundredths)
    }

    /// "order 10293", "bestellung 55120": a number of 5+ digits right after an order word.
    static func mentionsOrderReference(tokens: [String]) -> Bool {
        let orderWords: Set = ["order", "ref", "reference", "bestellung", "bestellnummer", "auftrag"]
        for (index, token) in tokens.enumerated().dropFirst() where token.count >= 5 && token.allSatisfy(\.isNumber) {
            if orderWords.contains(tokens[index - 1]) { return true }
        }
        return false
    }
}
