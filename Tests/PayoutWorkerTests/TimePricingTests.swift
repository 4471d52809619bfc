import ConciergeCore
import ConciergeYAML
import Foundation
import PayoutWorker
import Testing

/// Hourly and hybrid pay on the rate card, without a database.
@Suite struct TimePricingTests {
    let book = TimeRateCards.book

    func card(_ market: String, _ version: String = "h1") throws -> RateCard {
        try #require(book.card(version: version, market: market))
    }

    @Test func hourlyPaysRateTimesWholeMinutesRoundedHalfEvenOnce() throws {
        let se = try card("SE")
        #expect(se.payModel == .hourly(ratePerHour: 40000))
        // 400 SEK/h x 90 min = 600 SEK.
        let earning = try #require(try PayoutPricing.timeEarning(minutesOnline: 90, counted: 0, card: se))
        #expect(earning.kind == .hourly)
        #expect(earning.components.hourly == 60000 && earning.components.total.minorUnits == 60000)
        #expect(earning.minutesOnline == 90 && earning.ratePerHour == 40000 && earning.guaranteed == nil)
        // 10.01/h: 30 min = 500.5 -> 500, 90 min = 1501.5 -> 1502 (half-even), 1 min = 16.68 -> 17.
        var odd = se
        odd.payModel = .hourly(ratePerHour: 1001)
        #expect(try PayoutPricing.timeEarning(minutesOnline: 30, counted: 0, card: odd)?.components.hourly == 500)
        #expect(try PayoutPricing.timeEarning(minutesOnline: 90, counted: 0, card: odd)?.components.hourly == 1502)
        #expect(try PayoutPricing.timeEarning(minutesOnline: 1, counted: 0, card: odd)?.components.hourly == 17)
        #expect(try PayoutPricing.timeEarning(minutesOnline: 0, counted: 0, card: se) == nil)
    }

    @Test func hourlyMarketsEarnNoResolutionFee() throws {
        let resolution = PayoutPricing.Resolution(
            resolved: true, complexity: .complex, vip: true, surge: BasisPoints(15000), resolvedAt: Date()
        )
        #expect(try PayoutPricing.resolutionEarning(resolution, card: try card("SE")) == nil)
        #expect(
            try PayoutPricing.resolutionEarning(resolution, card: try card("UK")) != nil, "hybrid pays per resolution")
        #expect(try PayoutPricing.clawback(reopenedAt: Date(), resolution: resolution, card: try card("SE")) == nil)
    }

    @Test func hybridTopsUpToTheGuaranteeOnly() throws {
        let uk = try card("UK")
        #expect(uk.payModel == .hybrid(minimumPerHour: 1250))
        // 2 h online guarantee 25.00; resolutions earned 2.20 -> top-up 22.80.
        let topUp = try #require(try PayoutPricing.timeEarning(minutesOnline: 120, counted: 220, card: uk))
        #expect(topUp.kind == .guaranteeTopUp)
        #expect(topUp.components.guarantee == 2280 && topUp.components.total.minorUnits == 2280)
        #expect(topUp.guaranteed == 2500 && topUp.counted == 220 && topUp.minimumPerHour == 1250)
        // Earned more than the guarantee, or exactly it: nothing.
        #expect(try PayoutPricing.timeEarning(minutesOnline: 120, counted: 2600, card: uk) == nil)
        #expect(try PayoutPricing.timeEarning(minutesOnline: 120, counted: 2500, card: uk) == nil)
        // Clawbacks can leave the counted fees negative: the guarantee still holds, the top-up covers it.
        #expect(try PayoutPricing.timeEarning(minutesOnline: 60, counted: -300, card: uk)?.components.guarantee == 1550)
        // 7 min at 12.50/h = 1.458333 -> 1.46.
        #expect(try PayoutPricing.timeEarning(minutesOnline: 7, counted: 0, card: uk)?.guaranteed == 146)
        #expect(
            try PayoutPricing.timeEarning(minutesOnline: 600, counted: 0, card: try card("EU")) == nil, "per resolution"
        )
    }

    @Test func perResolutionDefinitionsAreUnchangedAndTimeModelsRoundTrip() throws {
        for card in book.cards {
            #expect(try RateCard(definitionJSON: card.definitionJSON) == card)
            #expect(card.definitionJSON.contains("pay_model") == (card.payModel != .perResolution))
        }
        // A per-resolution card's stored definition is byte for byte what it was before pay models existed.
        let eu = try card("EU")
        #expect(!eu.definitionJSON.contains("hourly") && !eu.definitionJSON.contains("minimum_per_hour"))
    }

    @Test(arguments: [
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { SE: { currency: SEK, pay_model: hourly } } }]",
            "versions.0.markets.SE.pay_model", "version x/SE: pay_model hourly needs hourly_rate"
        ),
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { SE: { currency: SEK, pay_model: hourly, hourly_rate: 0 } } }]",
            "versions.0.markets.SE", "rate card x/SE: hourly_rate must be positive"
        ),
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { SE: { currency: SEK, pay_model: weekly, hourly_rate: 1 } } }]",
            "versions.0.markets.SE.pay_model", "version x/SE: "
        ),
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { UK: { currency: GBP, pay_model: hybrid, minimum_per_hour: 100 } } }]",
            "versions.0.markets.UK", "rate card x/UK: base_fee."
        ),
    ])
    func invalidPayModelsAreRefused(_ yaml: String, _ keyPath: String, _ detail: String) {
        let error = #expect(throws: ConfigurationFileError.self) { try RateCardBook.parse(yaml, file: "payouts.yaml") }
        #expect(error?.configuration == "rate cards" && error?.file == "payouts.yaml" && error?.keyPath == keyPath)
        #expect(error?.detail.hasPrefix(detail) == true)
    }

    @Test func theShippedCardHasOneMarketOnEachModel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try RateCardBook.load(path: root.appendingPathComponent("config/payouts.yaml").path)
        let at = try #require(Timestamps.parse("2027-01-01T00:00:00Z"))
        #expect(shipped.card(market: "SE", at: at)?.payModel == .hourly(ratePerHour: 40000))
        #expect(shipped.card(market: "UK", at: at)?.payModel == .hybrid(minimumPerHour: 1250))
        #expect(shipped.card(market: "EU", at: at)?.payModel == .perResolution)
        let settlement = try SettlementSettings.load(path: root.appendingPathComponent("config/payouts.yaml").path)
        #expect(settlement.minimum("SEK") == 20000 && settlement.accounts["EUR"] != nil)
    }
}

/// Rate cards with every pay model: h1 from 2020 (EU per resolution, UK hybrid at 12.50/h, SE hourly at 400/h) and
/// h2 from 2025-03-15 (SE hourly at 450/h), so one March is priced by two versions.
enum TimeRateCards {
    static let yaml = """
        versions:
          - version: "h1"
            effective_from: "2020-01-01T00:00:00Z"
            markets:
              EU: { currency: EUR, base_fee: { routine: 250, complex: 500, sensitive: 800 }, vip_premium: 150, csat_bonus: 100 }
              UK: { currency: GBP, pay_model: hybrid, minimum_per_hour: 1250, base_fee: { routine: 220, complex: 440, sensitive: 700 }, vip_premium: 130, csat_bonus: 90, clawback_bp: 10000 }
              SE: { currency: SEK, pay_model: hourly, hourly_rate: 40000 }
          - version: "h2"
            effective_from: "2025-03-15T00:00:00Z"
            markets:
              SE: { currency: SEK, pay_model: hourly, hourly_rate: 45000 }
        """

    static var book: RateCardBook { try! RateCardBook.parse(yaml) }

    static func handler() -> PayoutHandler { PayoutHandler(book: book, cadence: .monthly) }
}
