public import ConciergeCore

/// A purchase with everything known about it: its plan and instalments, payments, refunds and returns.
public struct Purchase: Sendable, Hashable {
    public var id: String
    public var customerID: String
    public var merchant: String
    public var orderReference: String
    public var amount: Money
    public var purchasedOn: CalendarDate
    /// `active`, `paid_off`, `refunded`, `partially_refunded`, `cancelled`.
    public var status: String
    /// `processing`, `shipped`, `delivered`, `lost` (as reported by the shop).
    public var deliveryStatus: String
    /// A cancelled order (status `cancelled`): the day it was cancelled.
    public var cancelledOn: CalendarDate?
    public var plan: PaymentPlan?
    /// Newest first.
    public var payments: [Payment]
    public var refunds: [Refund]

    public init(
        id: String, customerID: String, merchant: String, orderReference: String, amount: Money,
        purchasedOn: CalendarDate,
        status: String, deliveryStatus: String, plan: PaymentPlan? = nil, payments: [Payment] = [],
        refunds: [Refund] = [],
        cancelledOn: CalendarDate? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.merchant = merchant
        self.orderReference = orderReference
        self.amount = amount
        self.purchasedOn = purchasedOn
        self.status = status
        self.deliveryStatus = deliveryStatus
        self.plan = plan
        self.payments = payments
        self.refunds = refunds
        self.cancelledOn = cancelledOn
    }

    /// Instalments not yet paid (scheduled, overdue or failed), earliest first.
    public var openInstalments: [Instalment] {
        (self.plan?.instalments ?? []).filter(\.isOpen).sorted { $0.dueOn < $1.dueOn }
    }

    /// The next instalment to pay, if any.
    public var nextInstalment: Instalment? { self.openInstalments.first }

    /// The latest payment attempt (by date, then id).
    public var latestPayment: Payment? {
        self.payments.max { ($0.attemptedOn, $0.id) < ($1.attemptedOn, $1.id) }
    }

    /// Refunds or returns still under way.
    public var openRefunds: [Refund] { self.refunds.filter(\.isOpen) }
}
