import ConciergeCore
public import ConciergeYAML
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
///
/// Every failure is a ``ConfigurationFileError`` (configuration `rate cards`) naming the file, the key and what is wrong.
extension RateCardBook {
    /// How errors name this file (``ConfigurationFileError/configuration``).
    public static let configuration = "rate cards"

    public static func load(path: String) throws(ConfigurationFileError) -> RateCardBook {
        let (yaml, file) = try ConfigurationFiles.read(path: path, configuration: Self.configuration)
        return try self.parse(yaml, file: file)
    }

    /// The rate cards in YAML text; `file` names it in errors.
    public static func parse(_ yaml: String, file: String = "") throws(ConfigurationFileError) -> RateCardBook {
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
        func invalid(_ keyPath: String, _ detail: String) -> ConfigurationFileError {
            ConfigurationFileError(
                .invalidField, configuration: Self.configuration, file: file, keyPath: keyPath, detail)
        }
        let decoded = try ConfigurationYAML.decode(File.self, from: yaml, configuration: Self.configuration, file: file)
        var cards: [RateCard] = []
        for (index, version) in decoded.versions.enumerated() {
            guard let effectiveFrom = Timestamps.parse(version.effective_from) else {
                throw invalid(
                    "versions.\(index).effective_from", "version \(version.version): effective_from must be RFC 3339")
            }
            for (market, entry) in version.markets {
                let keyPath = "versions.\(index).markets.\(market)"
                let currency: Currency
                do { currency = try Currency(code: entry.currency) } catch {
                    throw invalid("\(keyPath).currency", "version \(version.version)/\(market): \(error)")
                }
                var fees: [ComplexityTier: Int64] = [:]
                for (key, value) in entry.base_fee ?? [:] {
                    guard let tier = ComplexityTier(rawValue: key) else {
                        throw invalid(
                            "\(keyPath).base_fee", "version \(version.version)/\(market): unknown tier \(key)")
                    }
                    fees[tier] = value
                }
                let payModel: PayModel
                do {
                    payModel = try PayModel(
                        name: entry.pay_model, hourlyRate: entry.hourly_rate, minimumPerHour: entry.minimum_per_hour)
                } catch {
                    throw invalid("\(keyPath).pay_model", "version \(version.version)/\(market): \(error.detail)")
                }
                let card = RateCard(
                    version: version.version, market: market, currency: currency, effectiveFrom: effectiveFrom,
                    baseFees: fees, vipPremium: entry.vip_premium ?? 0, csatBonus: entry.csat_bonus ?? 0,
                    csatMinimumScore: entry.csat_min_score ?? 5,
                    clawbackShare: BasisPoints(entry.clawback_bp ?? 10_000),
                    reopenWindowHours: entry.reopen_window_hours ?? 72, payModel: payModel
                )
                do { try card.validate() } catch { throw invalid(keyPath, error.detail) }
                cards.append(card)
            }
        }
        do { return try RateCardBook(cards: cards) } catch {
            // Every card is valid (above): what is left is a version and market defined twice.
            throw ConfigurationFileError(
                .duplicateName, configuration: Self.configuration, file: file, keyPath: "versions", error.detail)
        }
    }
}
