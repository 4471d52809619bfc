public import ConciergeCore

extension PayoutPricing {
    /// What time online earned in one period under one rate-card version, with what explains it.
    public struct TimeEarning: Sendable, Hashable {
        /// ``EarningKind/hourly`` or ``EarningKind/guaranteeTopUp``.
        public var kind: EarningKind
        public var components: EarningComponents
        public var minutesOnline: Int
        /// Hourly cards: the rate per hour.
        public var ratePerHour: Int64?
        /// Hybrid cards: the guaranteed minimum per hour, the guarantee for the minutes, and the resolution fees
        /// (net of clawbacks) it was compared with.
        public var minimumPerHour: Int64?
        public var guaranteed: Int64?
        public var counted: Int64?
    }

    /// Pay for `minutesOnline` whole minutes in a period: on an hourly card `rate × minutes / 60`; on a hybrid card the
    /// top-up `max(0, minimum × minutes / 60 − counted)`, where `counted` is what the agent's resolutions earned in the
    /// period under that card (fees net of clawbacks; CSAT bonuses come on top and do not count). Each product is
    /// rounded once, with the card's rounding (half-even). Nil when nothing is owed or the card is per resolution.
    public static func timeEarning(minutesOnline: Int, counted: Int64, card: RateCard) throws(MoneyError)
        -> TimeEarning?
    {
        guard minutesOnline > 0 else { return nil }
        func perMinutes(_ perHour: Int64) throws(MoneyError) -> Int64 {
            let exact = Int128(perHour) * Int128(minutesOnline)
            guard let value = Int64(exactly: card.rounding.divide(exact, by: 60)) else {
                throw MoneyError(.overflow, detail: "time pay exceeds 64-bit minor units")
            }
            return value
        }
        switch card.payModel {
        case .perResolution:
            return nil
        case .hourly(let rate):
            let amount = try perMinutes(rate)
            guard amount > 0 else { return nil }
            return TimeEarning(
                kind: .hourly, components: EarningComponents(currency: card.currency, hourly: amount),
                minutesOnline: minutesOnline, ratePerHour: rate
            )
        case .hybrid(let minimum):
            let guaranteed = try perMinutes(minimum)
            let (topUp, overflow) = guaranteed.subtractingReportingOverflow(counted)
            guard !overflow else { throw MoneyError(.overflow, detail: "guarantee top-up exceeds 64-bit minor units") }
            guard topUp > 0 else { return nil }
            return TimeEarning(
                kind: .guaranteeTopUp, components: EarningComponents(currency: card.currency, guarantee: topUp),
                minutesOnline: minutesOnline, minimumPerHour: minimum, guaranteed: guaranteed, counted: counted
            )
        }
    }
}
