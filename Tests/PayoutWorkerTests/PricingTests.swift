import ConciergeCore
import ConciergeYAML
import Foundation
import PayoutWorker
import Testing

@Suite struct PricingTests {
    let book = TestRateCards.book

    func resolution(
        _ tier: ComplexityTier = .complex, vip: Bool = false, surge: Int64 = 10000, resolved: Bool = true,
        at: String = "2025-03-10T12:00:00Z"
    ) -> PayoutPricing.Resolution {
        .init(
            resolved: resolved, complexity: tier, vip: vip, surge: BasisPoints(surge), resolvedAt: Timestamps.parse(at)!
        )
    }

    @Test func resolutionEarnsBasePlusVIPPlusSurgeOnBoth() throws {
        let card = try #require(book.card(market: "EU", at: Timestamps.parse("2025-03-10T12:00:00Z")!))
        #expect(card.version == "t1")
        let earning = try #require(
            try PayoutPricing.resolutionEarning(resolution(.complex, vip: true, surge: 12500), card: card))
        // (500 + 150) x 0.25 = 162.5 -> 162 (half-even)
        #expect([earning.base, earning.vip, earning.surge, earning.total.minorUnits] == [500, 150, 162, 812])
        let plain = try #require(try PayoutPricing.resolutionEarning(resolution(.routine), card: card))
        #expect([plain.base, plain.vip, plain.surge] == [250, 0, 0])
        #expect(try PayoutPricing.resolutionEarning(resolution(resolved: false), card: card) == nil)
    }

    @Test func theVersionInForceAtResolutionPrices() throws {
        #expect(book.card(market: "eu", at: Timestamps.parse("2025-05-31T23:59:59Z")!)?.version == "t1")
        #expect(book.card(market: "EU", at: Timestamps.parse("2025-06-01T00:00:00Z")!)?.version == "t2")
        #expect(book.card(market: "UK", at: Timestamps.parse("2026-01-01T00:00:00Z")!)?.version == "t1")
        #expect(book.card(market: "US", at: Date()) == nil)
        #expect(book.card(market: "EU", at: Timestamps.parse("2019-12-31T00:00:00Z")!) == nil)
    }

    @Test func csatBonusNeedsTheMinimumScoreAndAResolvedOutcome() throws {
        let eu = try #require(book.card(version: "t1", market: "EU"))
        let uk = try #require(book.card(version: "t1", market: "UK"))
        #expect(PayoutPricing.csatBonus(csat: 5, resolution: resolution(), card: eu)?.csat == 100)
        #expect(PayoutPricing.csatBonus(csat: 4, resolution: resolution(), card: eu) == nil)
        #expect(PayoutPricing.csatBonus(csat: 4, resolution: resolution(), card: uk)?.csat == 90)
        #expect(PayoutPricing.csatBonus(csat: 5, resolution: resolution(resolved: false), card: eu) == nil)
    }

    @Test func clawbackTakesTheShareWithinTheWindowOnly() throws {
        let eu = try #require(book.card(version: "t1", market: "EU"))
        let uk = try #require(book.card(version: "t1", market: "UK"))
        let r = resolution(.complex, vip: true, surge: 12500)
        #expect(
            try PayoutPricing.clawback(reopenedAt: Timestamps.parse("2025-03-13T12:00:00Z")!, resolution: r, card: eu)?
                .clawback == -812)
        #expect(
            try PayoutPricing.clawback(reopenedAt: Timestamps.parse("2025-03-13T12:00:01Z")!, resolution: r, card: eu)
                == nil)
        // UK: (440 + 130) x 1.25 -> surge 142.5 -> 142; total 712; half clawed back = 356.
        #expect(
            try PayoutPricing.clawback(reopenedAt: Timestamps.parse("2025-03-11T00:00:00Z")!, resolution: r, card: uk)?
                .clawback == -356)
        #expect(
            try PayoutPricing.clawback(reopenedAt: Timestamps.parse("2025-03-11T12:00:01Z")!, resolution: r, card: uk)
                == nil)
    }

    @Test func storedDefinitionsRoundTrip() throws {
        for card in book.cards {
            #expect(try RateCard(definitionJSON: card.definitionJSON) == card)
        }
    }

    @Test func theShippedRateCardsLoad() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/payouts.yaml").path
        let shipped = try RateCardBook.load(path: path)
        #expect(Set(shipped.cards.map(\.market)).isSuperset(of: ["EU", "UK"]))
    }

    @Test(arguments: [
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { EU: { currency: EUT, base_fee: { routine: 1, complex: 1, sensitive: 1 }, vip_premium: 0, csat_bonus: 0 } } }]",
            "versions.0.markets.EU.currency", "version x/EU: "
        ),
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { EU: { currency: EUR, base_fee: { routine: 1, complex: 1 }, vip_premium: 0, csat_bonus: 0 } } }]",
            "versions.0.markets.EU", "rate card x/EU: base_fee.sensitive is missing"
        ),
        (
            "versions: [{ version: x, effective_from: '2020-01-01T00:00:00Z', markets: { EU: { currency: EUR, base_fee: { routine: 1, complex: 1, sensitive: 1 }, vip_premium: -1, csat_bonus: 0 } } }]",
            "versions.0.markets.EU", "rate card x/EU: amounts must not be negative"
        ),
        (
            "versions: [{ version: x, effective_from: 'soon', markets: {} }]", "versions.0.effective_from",
            "version x: effective_from must be RFC 3339"
        ),
    ])
    func invalidRateCardsAreRefused(_ yaml: String, _ keyPath: String, _ detail: String) {
        let error = #expect(throws: ConfigurationFileError.self) { try RateCardBook.parse(yaml, file: "payouts.yaml") }
        #expect(error?.code == .invalidField)
        #expect(error?.configuration == "rate cards" && error?.file == "payouts.yaml" && error?.keyPath == keyPath)
        #expect(error?.detail.hasPrefix(detail) == true)
    }

    @Test(arguments: [
        ("2025-03-10T12:00:00Z", PayCadence.monthly, "2025-03", "2025-04"),
        ("2025-12-31T23:59:59Z", .monthly, "2025-12", "2026-01"),
        ("2025-03-10T12:00:00Z", .weekly, "2025-W11", "2025-W12"),
        ("2026-12-31T00:00:00Z", .weekly, "2026-W53", "2027-W01"),
        ("2027-01-01T00:00:00Z", .weekly, "2026-W53", "2027-W01"),
        ("2024-12-30T00:00:00Z", .weekly, "2025-W01", "2025-W02"),
    ])
    func periodsFollowISOWeeksAndCalendarMonths(_ time: String, _ cadence: PayCadence, _ id: String, _ next: String)
        throws
    {
        let period = PayPeriod.containing(Timestamps.parse(time)!, cadence: cadence)
        #expect(period.id == id)
        #expect(period.next.id == next)
        #expect(period.next.start == period.end)
        #expect(try PayPeriod(id: id) == period)
    }

    @Test(arguments: ["2025-13", "2025-W54", "2025-W53", "25-03", "2025/03", "2025-W1"])
    func malformedPeriodsAreRefused(_ id: String) {
        #expect(throws: PayoutError.self) { try PayPeriod(id: id) }
    }

    @Test func csvQuotesAndDefusesFormulas() {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.field("-1.25") == "-1.25")
        #expect(CSVWriter.field("line\nbreak") == "\"line\nbreak\"")
    }

    @Test func oneQueueCarriesThreeSchemas() throws {
        let resolved = Events.resolved("a1")
        guard case .resolved(let event, _) = resolved else {
            Issue.record("not a resolution")
            return
        }
        #expect(try PayoutInput.decode(event.encodedBody()) == resolved)
        #expect(resolved == .resolved(event, at: Date(timeIntervalSince1970: 1_741_608_000)))
        let rating = Events.feedback("a1", csat: 5)
        guard case .feedback(let ratingEvent, _) = rating else {
            Issue.record("not a rating")
            return
        }
        #expect(try PayoutInput.decode(ratingEvent.encodedBody()) == rating)
        let reopen = Events.reopened("a1")
        guard case .reopened(let reopenEvent, _) = reopen else {
            Issue.record("not a reopen")
            return
        }
        #expect(try PayoutInput.decode(reopenEvent.encodedBody()) == reopen)
        let passthrough = PassthroughV1(messageID: "p1", sequence: 1, sentAtNanoseconds: 0, payload: "x")
        let error = #expect(throws: ContractError.self) { try PayoutInput.decode(passthrough.encodedBody()) }
        #expect(error?.code == .unknownSchema)
    }
}
