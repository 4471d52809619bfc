/// How a quotient that falls between two minor units is rounded. Every money operation that divides takes one
/// explicitly; the fleet's default is ``halfEven``.
///
/// - ``halfEven`` (banker's rounding): to the nearest minor unit; an exact half goes to the even neighbour
///   (0.5 → 0, 1.5 → 2, 2.5 → 2, -2.5 → -2). Unbiased over many postings, so rounding does not drift one way.
/// - ``halfAwayFromZero``: to the nearest; an exact half away from zero (2.5 → 3, -2.5 → -3).
/// - ``towardZero``: drops the fraction (2.9 → 2, -2.9 → -2).
public enum RoundingRule: String, Sendable, Hashable, CaseIterable, Codable {
    case halfEven = "half_even"
    case halfAwayFromZero = "half_away_from_zero"
    case towardZero = "toward_zero"

    /// `numerator / denominator` rounded by this rule. `denominator` must be positive.
    public func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator > 0, "rounding divides by a positive denominator")
        let quotient = numerator / denominator  // truncates toward zero
        let remainder = numerator % denominator  // same sign as the numerator
        if remainder == 0 || self == .towardZero { return quotient }
        let twice = remainder.magnitude * 2
        let direction: Int128 = numerator < 0 ? -1 : 1
        if twice > denominator.magnitude { return quotient + direction }
        if twice < denominator.magnitude { return quotient }
        // Exactly half way.
        switch self {
        case .halfAwayFromZero: return quotient + direction
        case .halfEven: return quotient % 2 == 0 ? quotient : quotient + direction
        case .towardZero: return quotient
        }
    }
}
