import ConciergeCore
import Foundation

/// The stored form of a card: `payout_rate_cards.definition` (jsonb). The reconciler reprices from it, so what
/// priced an earning stays in the database even after the file moves on.
extension RateCard {
    struct Definition: Codable, Hashable {
        var version: String
        var market: String
        var currency: String
        var effective_from: String
        var base_fee: [String: Int64]
        var vip_premium: Int64
        var csat_bonus: Int64
        var csat_min_score: Int
        var clawback_bp: Int64
        var reopen_window_hours: Int
        var rounding: String
        // Absent for per-resolution cards, so their stored definitions are unchanged from before pay models.
        var pay_model: String?
        var hourly_rate: Int64?
        var minimum_per_hour: Int64?
    }

    /// Canonical JSON (sorted keys) of the card.
    public var definitionJSON: String {
        var definition = Definition(
            version: self.version, market: self.market, currency: self.currency.code,
            effective_from: Timestamps.format(self.effectiveFrom),
            base_fee: Dictionary(uniqueKeysWithValues: self.baseFees.map { ($0.key.rawValue, $0.value) }),
            vip_premium: self.vipPremium, csat_bonus: self.csatBonus, csat_min_score: self.csatMinimumScore,
            clawback_bp: self.clawbackShare.value, reopen_window_hours: self.reopenWindowHours,
            rounding: self.rounding.rawValue
        )
        switch self.payModel {
        case .perResolution: break
        case .hourly(let rate): (definition.pay_model, definition.hourly_rate) = ("hourly", rate)
        case .hybrid(let minimum): (definition.pay_model, definition.minimum_per_hour) = ("hybrid", minimum)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A struct of strings, integers and a string-keyed dictionary always encodes.
        return String(decoding: try! encoder.encode(definition), as: UTF8.self)
    }

    /// A card from its stored definition.
    public init(definitionJSON: String) throws(PayoutError) {
        let definition: Definition
        do {
            definition = try JSONDecoder().decode(Definition.self, from: Data(definitionJSON.utf8))
        } catch {
            throw PayoutError(.invalidRateCards, "stored rate card definition does not decode")
        }
        let currency: Currency
        do { currency = try Currency(code: definition.currency) } catch {
            throw PayoutError(.invalidRateCards, "stored rate card has unknown currency \(definition.currency)")
        }
        guard let effectiveFrom = Timestamps.parse(definition.effective_from),
            let rounding = RoundingRule(rawValue: definition.rounding)
        else { throw PayoutError(.invalidRateCards, "stored rate card \(definition.version) is malformed") }
        var fees: [ComplexityTier: Int64] = [:]
        for (key, value) in definition.base_fee {
            guard let tier = ComplexityTier(rawValue: key) else {
                throw PayoutError(.invalidRateCards, "stored rate card has unknown tier \(key)")
            }
            fees[tier] = value
        }
        let payModel = try PayModel(
            name: definition.pay_model, hourlyRate: definition.hourly_rate, minimumPerHour: definition.minimum_per_hour)
        self.init(
            version: definition.version, market: definition.market, currency: currency, effectiveFrom: effectiveFrom,
            baseFees: fees, vipPremium: definition.vip_premium, csatBonus: definition.csat_bonus,
            csatMinimumScore: definition.csat_min_score, clawbackShare: BasisPoints(definition.clawback_bp),
            reopenWindowHours: definition.reopen_window_hours, rounding: rounding, payModel: payModel
        )
    }
}

extension PayModel {
    /// The model named in a card (`pay_model`, default per resolution) with its amount.
    init(name: String?, hourlyRate: Int64?, minimumPerHour: Int64?) throws(PayoutError) {
        switch name ?? "per_resolution" {
        case "per_resolution": self = .perResolution
        case "hourly":
            guard let hourlyRate else { throw PayoutError(.invalidRateCards, "pay_model hourly needs hourly_rate") }
            self = .hourly(ratePerHour: hourlyRate)
        case "hybrid":
            guard let minimumPerHour else {
                throw PayoutError(.invalidRateCards, "pay_model hybrid needs minimum_per_hour")
            }
            self = .hybrid(minimumPerHour: minimumPerHour)
        case let other:
            throw PayoutError(
                .invalidRateCards, "pay_model must be per_resolution, hourly or hybrid, not '\(other.prefix(20))'")
        }
    }
}
