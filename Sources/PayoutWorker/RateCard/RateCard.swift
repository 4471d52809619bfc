public import ConciergeCore
public import Foundation

/// What one market pays in one rate-card version. Amounts are integer minor units of ``currency``.
///
/// - base fee by complexity tier, for a conversation resolved with outcome `resolved` (an `unresolved` one earns
///   nothing);
/// - VIP premium added for a VIP customer;
/// - surge: (base + VIP) × (multiplier − 1), the multiplier in basis points exactly as shown on the accepted offer;
/// - CSAT bonus when the customer rates the conversation at least ``csatMinimumScore``;
/// - clawback when the conversation is reopened within ``reopenWindowHours`` of its resolution:
///   −(base + VIP + surge) × ``clawbackShare`` (10000 bp = all of it). The CSAT bonus is not clawed back.
///
/// Every ratio is applied with ``rounding`` (half-even) to whole minor units, once per component.
///
/// ``payModel`` says whether the market pays per resolution (the above), by the hour online, or per resolution with an
/// hourly guarantee (see ``PayModel``); an hourly card's resolutions earn no fee.
public struct RateCard: Sendable, Hashable {
    public var version: String
    /// Upper-case market code (`EU`, `UK`).
    public var market: String
    public var currency: Currency
    public var effectiveFrom: Date
    public var baseFees: [ComplexityTier: Int64]
    public var vipPremium: Int64
    public var csatBonus: Int64
    public var csatMinimumScore: Int
    public var clawbackShare: BasisPoints
    public var reopenWindowHours: Int
    public var rounding: RoundingRule
    /// Per resolution (default), hourly, or hybrid.
    public var payModel: PayModel

    public init(
        version: String, market: String, currency: Currency, effectiveFrom: Date, baseFees: [ComplexityTier: Int64],
        vipPremium: Int64, csatBonus: Int64, csatMinimumScore: Int = 5, clawbackShare: BasisPoints = .one,
        reopenWindowHours: Int = 72, rounding: RoundingRule = .halfEven, payModel: PayModel = .perResolution
    ) {
        self.version = version
        self.market = market.uppercased()
        self.currency = currency
        self.effectiveFrom = effectiveFrom
        self.baseFees = baseFees
        self.vipPremium = vipPremium
        self.csatBonus = csatBonus
        self.csatMinimumScore = csatMinimumScore
        self.clawbackShare = clawbackShare
        self.reopenWindowHours = reopenWindowHours
        self.rounding = rounding
        self.payModel = payModel
    }

    /// The base fee for a tier (zero when the card has none for it).
    public func baseFee(_ tier: ComplexityTier) -> Money {
        Money(minorUnits: self.baseFees[tier] ?? 0, currency: self.currency)
    }

    public var vipPremiumAmount: Money { Money(minorUnits: self.vipPremium, currency: self.currency) }
    public var csatBonusAmount: Money { Money(minorUnits: self.csatBonus, currency: self.currency) }
    public var reopenWindow: TimeInterval { TimeInterval(self.reopenWindowHours) * 3600 }

    /// Checks the values a card needs to price sensibly.
    public func validate() throws(PayoutError) {
        func invalid(_ detail: String) -> PayoutError {
            PayoutError(.invalidRateCards, "rate card \(self.version)/\(self.market): \(detail)")
        }
        guard !self.version.isEmpty, !self.market.isEmpty else { throw invalid("version and market are required") }
        switch self.payModel {
        case .perResolution: break
        case .hourly(let rate): guard rate > 0 else { throw invalid("hourly_rate must be positive") }
        case .hybrid(let minimum): guard minimum > 0 else { throw invalid("minimum_per_hour must be positive") }
        }
        for tier in ComplexityTier.allCases where self.payModel.paysPerResolution {
            guard let fee = self.baseFees[tier] else { throw invalid("base_fee.\(tier.rawValue) is missing") }
            guard fee >= 0 else { throw invalid("base_fee.\(tier.rawValue) must not be negative") }
        }
        guard self.vipPremium >= 0, self.csatBonus >= 0 else { throw invalid("amounts must not be negative") }
        guard (1...5).contains(self.csatMinimumScore) else { throw invalid("csat_min_score must be within 1...5") }
        guard (0...10_000).contains(self.clawbackShare.value) else {
            throw invalid("clawback_bp must be within 0...10000")
        }
        guard self.reopenWindowHours >= 0 else { throw invalid("reopen_window_hours must not be negative") }
    }
}
