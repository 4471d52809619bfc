import ConciergeCore
import ResponderWorker
import Testing

@Suite struct DemoFactsTests {
    let asOf = CalendarDate(year: 2026, month: 11, day: 20)

    @Test func sameCustomerAndDateGiveTheSameFacts() {
        #expect(
            DemoFacts.purchases(customerID: "cus_0042", currency: .eur, asOf: self.asOf)
                == DemoFacts.purchases(customerID: "cus_0042", currency: .eur, asOf: self.asOf))
        #expect(
            DemoFacts.purchases(customerID: "cus_0042", currency: .eur, asOf: self.asOf)
                != DemoFacts.purchases(customerID: "cus_0043", currency: .eur, asOf: self.asOf))
    }

    @Test func populationIsConsistent() {
        let purchases = (1...2000).flatMap {
            DemoFacts.purchases(customerID: "cus_\($0)", currency: $0 % 5 == 3 ? .gbp : .eur, asOf: self.asOf)
        }
        #expect(purchases.count >= 2000 && purchases.count <= 8000)
        for purchase in purchases {
            let instalments = purchase.plan?.instalments ?? []
            // Instalments add up to the purchase amount, in its currency.
            #expect(instalments.reduce(0) { $0 + $1.amount.minorUnits } == purchase.amount.minorUnits)
            #expect(instalments.allSatisfy { $0.amount.currency == purchase.amount.currency })
            #expect(instalments.allSatisfy { $0.status != "paid" || $0.paidOn != nil })
            #expect(
                instalments.allSatisfy { $0.status == "scheduled" || $0.status == "waived" || $0.dueOn <= self.asOf })
        }
        // The mix the demo needs is there.
        #expect(purchases.contains { $0.amount.currency == .gbp })
        #expect(purchases.contains { !$0.refunds.isEmpty })
        #expect(purchases.contains { $0.plan?.instalments.contains { $0.lateFee.minorUnits > 0 } == true })
        #expect(purchases.contains { $0.payments.contains { $0.status == "failed" } })
        #expect(purchases.contains { $0.payments.contains { $0.status == "pending" } })
        #expect(purchases.contains { $0.deliveryStatus == "shipped" })
    }
}
