import ConciergeCore
import ConciergeYAML
import Foundation

/// Loads `config/payouts.yaml`:
///
/// ```yaml
/// versions:
///   - version: "2026-01"                       # never edit a version once used: add a new one
///     effective_from: "2026-01-01T00:00:00Z"
///     markets:
///       EU:
///         currency: EUR                       # ISO 4217; amounts below are minor units (cents)
///         base_fee: { routine: 250, complex: 500, sensitive: 800 }
///         vip_premium: 150
///         csat_bonus: 100
///         csat_min_score: 5
///         clawback_bp: 10000                  # share of base + VIP + surge taken back on a reopen
///         reopen_window_hours: 72
///       SE:
///         currency: SEK
///         pay_model: hourly                   # per_resolution (default), hourly or hybrid
///         hourly_rate: 40000                  # hourly: per hour online and available (400 SEK)
///       UK:
///         pay_model: hybrid
///         minimum_per_hour: 1200              # hybrid: per resolution, topped up to this per hour online
/// ```
extension RateCardBook {
    public static func load(path: String) throws -> RateCardBook {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PayoutError(.invalidRateCards, "cannot read \(path)")
        }
        return try self.parse(text)
    }

    public static func parse(_ yaml: String) throws -> RateCardBook {
        struct Market: Decodable {
            var currency: String
            var base_fee: [String: Int64]?
            var vip_premium: Int64?
            var csat_bonus: Int64?
            var csat_min_score: Int?
            var clawback_bp: Int64?
            var reopen_window_hours: Int?
            var pay_model: String?
            var hourly_rate: Int64?
            var minimum_per_hour: Int64?
        }
        struct Version: Decodable {
            var version: String
            var effective_from: String
            var markets: [String: Market]
        }
        struct File: Decodable {
            var versions: [Version]
        }
        let file: File
        do { file = try ConfigurationYAML.decode(File.self, from: yaml) } catch {
            throw PayoutError(.invalidRateCards, "payouts.yaml does not match the expected shape: \(error)")
        }
        var cards: [RateCard] = []
        for version in file.versions {
            guard let effectiveFrom = Timestamps.parse(version.effective_from) else {
                throw PayoutError(.invalidRateCards, "version \(version.version): effective_from must be RFC 3339")
            }
            for (market, entry) in version.markets {
                let currency: Currency
                do { currency = try Currency(code: entry.currency) } catch {
                    throw PayoutError(.invalidRateCards, "version \(version.version)/\(market): \(error)")
                }
                var fees: [ComplexityTier: Int64] = [:]
                for (key, value) in entry.base_fee ?? [:] {
                    guard let tier = ComplexityTier(rawValue: key) else {
                        throw PayoutError(
                            .invalidRateCards, "version \(version.version)/\(market): unknown tier \(key)")
                    }
                    fees[tier] = value
                }
                let payModel: PayModel
                do {
                    payModel = try PayModel(
                        name: entry.pay_model, hourlyRate: entry.hourly_rate, minimumPerHour: entry.minimum_per_hour)
                } catch {
                    throw PayoutError(.invalidRateCards, "version \(version.version)/\(market): \(error.detail)")
                }
                cards.append(
                    RateCard(
                        version: version.version, market: market, currency: currency, effectiveFrom: effectiveFrom,
                        baseFees: fees, vipPremium: entry.vip_premium ?? 0, csatBonus: entry.csat_bonus ?? 0,
                        csatMinimumScore: entry.csat_min_score ?? 5,
                        clawbackShare: BasisPoints(entry.clawback_bp ?? 10_000),
                        reopenWindowHours: entry.reopen_window_hours ?? 72, payModel: payModel
                    )
                )
            }
        }
        return try RateCardBook(cards: cards)
    }
}
