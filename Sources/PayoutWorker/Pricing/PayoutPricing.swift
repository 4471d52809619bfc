public import ConciergeCore
public import Foundation

/// The pure pricing rules (no I/O): the handler uses them to post earnings and the reconciler to check them.
public enum PayoutPricing {
    /// The facts a resolution is priced on.
    public struct Resolution: Sendable, Hashable {
        public var resolved: Bool
        public var complexity: ComplexityTier
        public var vip: Bool
        public var surge: BasisPoints
        public var resolvedAt: Date

        public init(resolved: Bool, complexity: ComplexityTier, vip: Bool, surge: BasisPoints, resolvedAt: Date) {
            self.resolved = resolved
            self.complexity = complexity
            self.vip = vip
            self.surge = surge
            self.resolvedAt = resolvedAt
        }
    }

    /// Base + VIP premium + surge on both; nil for an unresolved outcome, a zero total, or a market on the hourly
    /// model (its agents are paid for time online, see ``timeEarning(minutesOnline:counted:card:)``).
    public static func resolutionEarning(_ resolution: Resolution, card: RateCard) throws(MoneyError)
        -> EarningComponents?
    {
        guard resolution.resolved, card.payModel.paysPerResolution else { return nil }
        let base = card.baseFee(resolution.complexity)
        let vip = resolution.vip ? card.vipPremiumAmount : .zero(card.currency)
        let beforeSurge = try base.adding(vip)
        let extra = BasisPoints(max(0, resolution.surge.value - BasisPoints.perWhole))
        let surge = try beforeSurge.multiplied(by: extra, rounding: card.rounding)
        let components = EarningComponents(
            currency: card.currency, base: base.minorUnits, vip: vip.minorUnits, surge: surge.minorUnits
        )
        return components.total.isZero ? nil : components
    }

    /// The CSAT bonus for a rating on a resolved assignment, or nil.
    public static func csatBonus(csat: Int, resolution: Resolution, card: RateCard) -> EarningComponents? {
        guard resolution.resolved, csat >= card.csatMinimumScore, card.csatBonus > 0 else { return nil }
        return EarningComponents(currency: card.currency, csat: card.csatBonus)
    }

    /// The clawback for a reopen, or nil when it came after the window (or there is nothing to take back).
    public static func clawback(
        reopenedAt: Date, resolution: Resolution, card: RateCard
    ) throws(MoneyError) -> EarningComponents? {
        guard reopenedAt <= resolution.resolvedAt.addingTimeInterval(card.reopenWindow),
            let earning = try self.resolutionEarning(resolution, card: card)
        else { return nil }
        let taken = try earning.total.multiplied(by: card.clawbackShare, rounding: card.rounding)
        guard taken.isPositive else { return nil }
        return EarningComponents(currency: card.currency, clawback: try taken.negated().minorUnits)
    }
}
