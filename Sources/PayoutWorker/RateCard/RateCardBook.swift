public import Foundation

/// Every rate-card version, per market. Versions are kept for ever: an earning names the version that priced it.
public struct RateCardBook: Sendable, Hashable {
    /// All cards, sorted by market, then effective date.
    public let cards: [RateCard]

    public init(cards: [RateCard]) throws(PayoutError) {
        var seen = Set<String>()
        for card in cards {
            try card.validate()
            guard seen.insert("\(card.version)\u{0}\(card.market)").inserted else {
                throw PayoutError(.invalidRateCards, "rate card \(card.version)/\(card.market) is defined twice")
            }
        }
        self.cards = cards.sorted { ($0.market, $0.effectiveFrom) < ($1.market, $1.effectiveFrom) }
    }

    /// The card in force for `market` at `date`: the latest version effective at or before it.
    public func card(market: String, at date: Date) -> RateCard? {
        let market = market.uppercased()
        return self.cards.last { $0.market == market && $0.effectiveFrom <= date }
    }

    /// A card by version and market.
    public func card(version: String, market: String) -> RateCard? {
        let market = market.uppercased()
        return self.cards.first { $0.version == version && $0.market == market }
    }
}
