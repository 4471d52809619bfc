/// The kinds of earning: an assignment has at most one of each of the first three; a period at most one time earning
/// per agent, market and rate-card version.
public enum EarningKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The fee for resolving: base + VIP premium + surge.
    case resolution
    /// The bonus for a qualifying customer rating.
    case csatBonus = "csat_bonus"
    /// The (negative) clawback after a reopen within the window.
    case clawback
    /// Pay for minutes online in a closed period (hourly markets); no assignment.
    case hourly
    /// The top-up to the hourly guarantee for a closed period (hybrid markets); no assignment.
    case guaranteeTopUp = "guarantee_topup"

    /// The kinds an assignment can have.
    public static let perAssignment: [EarningKind] = [.resolution, .csatBonus, .clawback]
}
