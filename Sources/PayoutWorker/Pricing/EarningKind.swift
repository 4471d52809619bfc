/// The kinds of earning an assignment can have, at most one of each.
public enum EarningKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The fee for resolving: base + VIP premium + surge.
    case resolution
    /// The bonus for a qualifying customer rating.
    case csatBonus = "csat_bonus"
    /// The (negative) clawback after a reopen within the window.
    case clawback
}
