public import ConciergeCore
import ConciergeSupport

/// The demo population's account facts: 1–4 purchases per customer with plans, instalments, payments, refunds and
/// returns, generated deterministically from the customer id and an as-of date (the same inputs give the same rows).
///
/// Mix (approximate): one purchase in seven has a failed or overdue instalment (overdue ones carry a late fee), one
/// in six a refund or return, one in fifty a duplicated payment, a few recent ones are still in delivery or lost.
public enum DemoFacts {
    /// A partner shop: name, order-reference prefix and a price range in major units.
    public struct Merchant: Sendable {
        public var name: String
        public var prefix: String
        public var prices: ClosedRange<Int>
    }

    public static let merchants: [Merchant] = [
        .init(name: "Zalando", prefix: "ZL", prices: 30...250), .init(name: "ASOS", prefix: "AS", prices: 20...150),
        .init(name: "IKEA", prefix: "IK", prices: 80...1500),
        .init(name: "MediaMarkt", prefix: "MM", prices: 50...1200),
        .init(name: "Nike", prefix: "NK", prices: 60...220), .init(name: "Apple", prefix: "AP", prices: 200...2500),
        .init(name: "Zara", prefix: "ZR", prices: 25...180), .init(name: "H&M", prefix: "HM", prices: 15...120),
        .init(name: "Decathlon", prefix: "DC", prices: 20...600), .init(name: "Otto", prefix: "OT", prices: 40...900),
        .init(name: "Argos", prefix: "AR", prices: 20...400),
        .init(name: "John Lewis", prefix: "JL", prices: 40...1200),
        .init(name: "Currys", prefix: "CU", prices: 50...1500),
    ]

    static let failureReasons = ["insufficient_funds", "card_expired", "authentication_required", "declined_by_bank"]

    /// The purchases of one customer.
    public static func purchases(customerID: String, currency: Currency, asOf: CalendarDate) -> [Purchase] {
        var random = SeededRandom(seed: customerID)
        let key = customerID.hasPrefix("cus_") ? String(customerID.dropFirst(4)) : customerID
        return (1...random.int(1...4)).map { index in
            self.purchase(
                id: "\(key)_\(index)", customerID: customerID, currency: currency, asOf: asOf, random: &random)
        }
    }

    static func purchase(
        id: String, customerID: String, currency: Currency, asOf: CalendarDate, random: inout SeededRandom
    ) -> Purchase {
        let merchant = random.pick(self.merchants)
        let cents = random.pick([0, 0, 50, 95, 99, 99])
        // Prices are in euros or pounds; a krona is worth about a tenth of either.
        let scale: Int64 = currency == .sek ? 10 : 1
        let amount = Int64(random.int(merchant.prices)) * 100 * scale + Int64(cents)
        let purchasedOn = asOf.adding(days: -random.int(1...150))
        let kind: String =
            amount > 200_00 * scale
            ? random.pick(["pay_in_3", "pay_in_4", "monthly_6", "monthly_12"])
            : random.pick(["pay_in_3", "pay_in_4", "pay_in_30_days"])
        let dueDates: [CalendarDate] =
            switch kind {
            case "pay_in_4": (0..<4).map { purchasedOn.adding(days: 14 * $0) }
            case "pay_in_30_days": [purchasedOn.adding(days: 30)]
            case "monthly_6": (1...6).map { purchasedOn.adding(months: $0) }
            case "monthly_12": (1...12).map { purchasedOn.adding(months: $0) }
            default: (0..<3).map { purchasedOn.adding(months: $0) }
            }
        let count = Int64(dueDates.count)
        let trouble = random.chance(1.0 / 7.0)
        let lastDue = dueDates.lastIndex { $0 <= asOf }
        let planID = "plan_\(id)"
        var instalments: [Instalment] = []
        var payments: [Payment] = []
        let method = random.pick(["card", "card", "direct_debit", "bank_transfer"])
        for (offset, due) in dueDates.enumerated() {
            let sequence = offset + 1
            let share = amount / count + (offset == 0 ? amount % count : 0)
            let money = Money(minorUnits: share, currency: currency)
            var instalment = Instalment(
                planID: planID, sequence: sequence, dueOn: due, amount: money, status: "scheduled", paidOn: nil,
                lateFee: Money(minorUnits: 0, currency: currency)
            )
            let paymentID = "pay_\(id)_\(sequence)"
            if due <= asOf {
                if trouble && offset == lastDue {
                    let reason = random.pick(self.failureReasons)
                    payments.append(
                        Payment(
                            id: paymentID, purchaseID: "pur_\(id)", instalmentSequence: sequence, amount: money,
                            method: method,
                            status: "failed", failureReason: reason, attemptedOn: due)
                    )
                    if asOf.dayNumber - due.dayNumber > 7 {
                        instalment.status = "overdue"
                        instalment.lateFee = Money(
                            minorUnits: min(500 * scale, max(100 * scale, share / 10)), currency: currency)
                    } else {
                        instalment.status = "failed"
                    }
                } else if offset == lastDue && method == "bank_transfer" && asOf.dayNumber - due.dayNumber <= 2 {
                    payments.append(
                        Payment(
                            id: paymentID, purchaseID: "pur_\(id)", instalmentSequence: sequence, amount: money,
                            method: method,
                            status: "pending", failureReason: nil, attemptedOn: due)
                    )
                } else {
                    let paidOn = method == "bank_transfer" ? due.adding(days: random.int(0...2)) : due
                    instalment.status = "paid"
                    instalment.paidOn = min(paidOn, asOf)
                    payments.append(
                        Payment(
                            id: paymentID, purchaseID: "pur_\(id)", instalmentSequence: sequence, amount: money,
                            method: method,
                            status: "succeeded", failureReason: nil, attemptedOn: instalment.paidOn ?? due)
                    )
                    if random.chance(0.02) {
                        payments.append(
                            Payment(
                                id: "\(paymentID)_dup", purchaseID: "pur_\(id)", instalmentSequence: sequence,
                                amount: money,
                                method: method, status: "succeeded", failureReason: nil,
                                attemptedOn: instalment.paidOn ?? due)
                        )
                    }
                }
            }
            instalments.append(instalment)
        }

        var status = instalments.allSatisfy { $0.status == "paid" } ? "paid_off" : "active"
        var refunds: [Refund] = []
        if random.chance(1.0 / 6.0) {
            let full = random.chance(0.35)
            let refundAmount = full ? amount : max(100, amount * Int64(random.int(25...60)) / 100)
            let requestedOn = min(asOf, purchasedOn.adding(days: random.int(2...20)))
            let refundStatus = random.pick([
                "requested", "in_transit", "received_by_merchant", "processing", "completed", "completed",
            ])
            let completedOn =
                refundStatus == "completed" ? min(asOf, requestedOn.adding(days: random.int(3...14))) : nil
            refunds.append(
                Refund(
                    id: "ref_\(id)", purchaseID: "pur_\(id)", kind: random.chance(0.6) ? "return" : "refund",
                    amount: Money(minorUnits: refundAmount, currency: currency), status: refundStatus,
                    requestedOn: requestedOn,
                    expectedOn: completedOn == nil ? max(asOf, requestedOn.adding(days: 14)) : nil,
                    completedOn: completedOn
                )
            )
            if refundStatus == "completed" {
                status = full ? "refunded" : "partially_refunded"
                if full {
                    for index in instalments.indices where instalments[index].isOpen {
                        instalments[index].status = "waived"
                    }
                }
            }
        }
        let age = asOf.dayNumber - purchasedOn.dayNumber
        let delivery = age <= 3 ? "processing" : age <= 10 ? (random.chance(0.1) ? "lost" : "shipped") : "delivered"
        let purchase = Purchase(
            id: "pur_\(id)", customerID: customerID, merchant: merchant.name,
            orderReference: "\(merchant.prefix)-\(random.int(100_000...999_999))",
            amount: Money(minorUnits: amount, currency: currency),
            purchasedOn: purchasedOn, status: status, deliveryStatus: delivery,
            plan: PaymentPlan(id: planID, kind: kind, instalments: instalments), payments: payments, refunds: refunds
        )
        return self.withMoreFacts(purchase, asOf: asOf)
    }

    /// The facts of migration 0065, drawn from a generator of their own (so the rest of the population is what it was
    /// before them): the next retry of a collection that failed in the last week (3 and 6 days after it), an
    /// instalment whose due date was moved (one purchase in fifteen with instalments ahead), and cancelled orders
    /// (one in four still being prepared by the shop; open instalments waived, paid ones refunded).
    static func withMoreFacts(_ purchase: Purchase, asOf: CalendarDate) -> Purchase {
        var p = purchase
        var random = SeededRandom(seed: "facts-0065:\(p.id)")
        for index in p.payments.indices where p.payments[index].status == "failed" {
            let failed = p.payments[index]
            let instalment = p.plan?.instalments.first { $0.sequence == failed.instalmentSequence }
            guard instalment?.status == "failed" else { continue }
            p.payments[index].nextRetryOn = [3, 6].map { failed.attemptedOn.adding(days: $0) }.first { $0 > asOf }
        }
        if var plan = p.plan, random.chance(1.0 / 15.0),
            let index = plan.instalments.firstIndex(where: { $0.status == "scheduled" && $0.dueOn > asOf })
        {
            plan.instalments[index].originalDueOn = plan.instalments[index].dueOn.adding(days: -random.int(5...14))
            p.plan = plan
        }
        if p.deliveryStatus == "processing", p.refunds.isEmpty, random.chance(0.25) {
            let cancelledOn = min(asOf, p.purchasedOn.adding(days: random.int(0...2)))
            p.status = "cancelled"
            p.cancelledOn = cancelledOn
            var paid: Int64 = 0
            if var plan = p.plan {
                for index in plan.instalments.indices {
                    if plan.instalments[index].status == "paid" { paid += plan.instalments[index].amount.minorUnits }
                    if plan.instalments[index].isOpen { plan.instalments[index].status = "waived" }
                }
                p.plan = plan
            }
            if paid > 0 {
                let done = random.chance(0.5)
                p.refunds.append(
                    Refund(
                        id: "ref_\(p.id.dropFirst(4))_cancel", purchaseID: p.id, kind: "refund",
                        amount: Money(minorUnits: paid, currency: p.amount.currency),
                        status: done ? "completed" : "processing",
                        requestedOn: cancelledOn, expectedOn: done ? nil : max(asOf, cancelledOn.adding(days: 5)),
                        completedOn: done ? min(asOf, cancelledOn.adding(days: 3)) : nil
                    )
                )
            }
        }
        return p
    }
}
