import ConciergeAMQP
import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

@testable import EscalationWorker

/// An offer tells the agent what taking it pays on the market's pay model: the fee per resolution, the hourly rate
/// (resolutions earn no fee), or the fee and the guaranteed minimum per hour (hybrid). It used to say `per_resolution`
/// on every market and carry no pay at all on an hourly one.
@Suite struct OfferPayTests {
    static func shippedCards() throws -> RateCardBook {
        try RateCardBook.parse(
            try String(contentsOfFile: TestServices.repositoryFile("config/payouts.yaml"), encoding: .utf8))
    }

    @Test func eachModelOfTheShippedCardIsShownAsItPays() throws {
        let book = try Self.shippedCards()
        let january = try #require(ISO8601DateFormatter().date(from: "2027-01-15T12:00:00Z"))
        let pay = { (market: String, vip: Bool, surge: Int) throws -> OfferV1.Pay in
            let card = try #require(book.card(market: market, at: january))
            return try #require(Dispatcher.pay(card: card, complexity: .routine, vip: vip, surge: surge, at: january))
        }
        // EU per resolution: base 2.50 + VIP 1.50, surge 1.25x on both.
        #expect(
            try pay("EU", true, 12500)
                == OfferV1.Pay(amountMinor: 500, currency: "EUR", model: "per_resolution", rateCardVersion: "2027-01"))
        // SE hourly: no fee for the conversation, 400 SEK an hour online.
        #expect(
            try pay("SE", false, 12500)
                == OfferV1.Pay(
                    amountMinor: 0, currency: "SEK", model: "hourly", rateCardVersion: "2027-01",
                    ratePerHourMinor: 40_000
                ))
        // UK hybrid: the fee (2.20 GBP) and at least 12.50 GBP an hour online.
        #expect(
            try pay("UK", false, 10000)
                == OfferV1.Pay(
                    amountMinor: 220, currency: "GBP", model: "hybrid", rateCardVersion: "2027-01",
                    ratePerHourMinor: 1250
                ))
    }

    @Test func thePayFieldsTravelInTheOfferAsDocumented() throws {
        let offer = OfferV1(
            offerID: "o", escalationID: "e", conversationID: "c", agentID: "a", attempt: 1, serviceClass: "normal",
            priority: .normal,
            vip: false, language: "sv", skills: [], intent: nil, complexity: "routine",
            surgeMultiplierBasisPoints: 10000,
            offeredAt: "2027-01-15T12:00:00Z", expiresAt: "2027-01-15T12:00:20Z",
            pay: OfferV1.Pay(
                amountMinor: 0, currency: "SEK", model: "hourly", rateCardVersion: "2027-01", ratePerHourMinor: 40_000)
        )
        let json = String(decoding: offer.encodedBody(), as: UTF8.self)
        #expect(
            json.contains(
                "\"pay\":{\"amount_minor\":0,\"currency\":\"SEK\",\"model\":\"hourly\",\"rate_card_version\":\"2027-01\",\"rate_per_hour_minor\":40000}"
            ), "\(json)")
        #expect(try ContractDecoder().decode(OfferV1.self, from: offer.encodedBody()).pay == offer.pay)
    }
}

/// Through the real escalation worker: an hourly market's offer is published and stored with its model and rate.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct OfferPayIntegrationTests {
    @Test func anHourlyMarketsOfferCarriesTheModelAndTheRate() async throws {
        let world = try await EscalationWorld.make("hourly-pay") { settings in
            let market = settings.defaultMarket.uppercased()
            settings.rateCards = try? RateCardBook.parse(
                """
                versions:
                  - version: "test-hourly"
                    effective_from: "2026-01-01T00:00:00Z"
                    markets:
                      \(market):
                        currency: SEK
                        pay_model: hourly
                        hourly_rate: 40000
                        csat_bonus: 0
                """
            )
        }
        #expect(world.settings.rateCards != nil)
        let agent = try await world.enrollAgent("Stina")
        let tap = try await world.tap([OfferV1.routingKey(agentID: agent)])
        let tasks = world.startConsumers() + [world.startDispatcher()]
        try await world.online([agent])
        let conversation = try await world.inquire("olle")
        let offer = try await tap.next(OfferV1.self) { $0.conversationID == conversation }
        #expect(
            offer.pay
                == OfferV1.Pay(
                    amountMinor: 0, currency: "SEK", model: "hourly", rateCardVersion: "test-hourly",
                    ratePerHourMinor: 40_000))
        let stored = try await world.database.query(
            "SELECT pay_model, pay_rate_per_hour_minor, pay_minor FROM offers WHERE offer_id = $1", [offer.offerID]
        ).single()
        #expect(try stored.decode(String?.self, named: "pay_model") == "hourly")
        #expect(try stored.decode(Int64?.self, named: "pay_rate_per_hour_minor") == 40_000)
        #expect(try stored.decode(Int64?.self, named: "pay_minor") == 0)
        await tap.close()
        await world.tearDown(tasks)
    }
}
