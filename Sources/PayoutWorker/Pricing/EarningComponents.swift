public import ConciergeCore

/// An earning split into the parts a statement line explains. All in one currency; ``total`` is their sum.
public struct EarningComponents: Sendable, Hashable {
    public var currency: Currency
    public var base: Int64 = 0
    public var vip: Int64 = 0
    public var surge: Int64 = 0
    public var csat: Int64 = 0
    /// Zero or negative.
    public var clawback: Int64 = 0
    /// Pay for time online (hourly markets).
    public var hourly: Int64 = 0
    /// The top-up to the hourly guarantee (hybrid markets).
    public var guarantee: Int64 = 0

    public init(
        currency: Currency, base: Int64 = 0, vip: Int64 = 0, surge: Int64 = 0, csat: Int64 = 0, clawback: Int64 = 0,
        hourly: Int64 = 0, guarantee: Int64 = 0
    ) {
        self.currency = currency
        self.base = base
        self.vip = vip
        self.surge = surge
        self.csat = csat
        self.clawback = clawback
        self.hourly = hourly
        self.guarantee = guarantee
    }

    /// The sum of the components.
    public var total: Money {
        Money(
            minorUnits: self.base + self.vip + self.surge + self.csat + self.clawback + self.hourly + self.guarantee,
            currency: self.currency)
    }

    /// `(ledger component tag, amount)` for the non-zero components, in a fixed order.
    public var parts: [(component: String, amount: Money)] {
        [
            ("base", self.base), ("vip", self.vip), ("surge", self.surge), ("csat", self.csat),
            ("clawback", self.clawback),
            ("hourly", self.hourly), ("guarantee", self.guarantee),
        ]
        .filter { $0.1 != 0 }
        .map { ($0.0, Money(minorUnits: $0.1, currency: self.currency)) }
    }
}
