import ConciergeCore
import ConciergeDemo
import Foundation
import Testing

/// The population `conciergectl seed` writes, which the demo stream, the benchmarks and the simulator count on.
@Suite struct DemoSeedingTests {
    @Test func everyTwentyFifthIsAVIPAndTheMarketsPayInTheirCurrency() {
        let customers = DemoSeeding.customers(2000)
        #expect(customers.count == 2000)
        #expect(customers.first?.id == "cus_0001")
        #expect(customers.last?.id == "cus_2000")
        #expect(customers.filter { $0.tier == "vip" }.map(\.id) == (1...80).map { String(format: "cus_%04d", $0 * 25) })
        #expect(customers.filter { $0.market == "SE" }.allSatisfy { $0.language == "sv" })
        #expect(customers.filter { $0.market == "UK" }.count == 333)
        #expect(
            customers[2]
                == DemoSeeding.Customer(
                    id: "cus_0003", name: "Dev Okafor", tier: "standard", language: "en", market: "UK"))
        #expect(
            customers[5]
                == DemoSeeding.Customer(
                    id: "cus_0006", name: "Greta Rossi", tier: "standard", language: "de", market: "EU"))
        #expect(DemoSeeding.currency(market: "UK") == .gbp)
        #expect(DemoSeeding.currency(market: "SE") == .sek)
        #expect(DemoSeeding.currency(market: "EU") == .eur)
    }

    @Test func noCustomersIsEmpty() {
        #expect(DemoSeeding.customers(0).isEmpty)
    }
}
