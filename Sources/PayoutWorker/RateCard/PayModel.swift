/// How a market's agents are paid under one rate-card version. Amounts are minor units of the card's currency.
///
/// - ``perResolution``: each resolved conversation earns base + VIP + surge (and CSAT bonus, minus clawbacks).
/// - ``hourly(ratePerHour:)``: time online and available earns `ratePerHour × minutes / 60`, counted per closed period
///   from the presence record; resolutions earn no fee (a CSAT bonus still applies when the card has one).
/// - ``hybrid(minimumPerHour:)``: per resolution, and when the period's resolution fees (net of clawbacks) fall short
///   of `minimumPerHour × minutes / 60`, a guarantee top-up makes up the difference.
public enum PayModel: Sendable, Hashable, CustomStringConvertible {
    case perResolution
    case hourly(ratePerHour: Int64)
    case hybrid(minimumPerHour: Int64)

    /// The name used in `config/payouts.yaml` (`pay_model`) and in the stored definition.
    public var name: String {
        switch self {
        case .perResolution: "per_resolution"
        case .hourly: "hourly"
        case .hybrid: "hybrid"
        }
    }

    /// Whether resolutions earn a fee under this model.
    public var paysPerResolution: Bool {
        if case .hourly = self { return false }
        return true
    }

    /// Whether time online earns (or guarantees) anything.
    public var countsTime: Bool { self != .perResolution }

    public var description: String {
        switch self {
        case .perResolution: "per resolution"
        case .hourly(let rate): "hourly (\(rate) minor units per hour)"
        case .hybrid(let minimum): "per resolution, at least \(minimum) minor units per hour online"
        }
    }
}
