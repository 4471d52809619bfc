/// A ratio in basis points: 10000 bp = 1.00 = 100 %, 12500 bp = 1.25x, 250 bp = 2.5 %.
///
/// Multipliers (surge) and percentages (clawback share) are both basis points, so money never meets a floating-point
/// number. Apply one with ``Money/multiplied(by:rounding:)``.
public struct BasisPoints: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Basis points in one whole: 10000.
    public static let perWhole: Int64 = 10_000
    /// 1.00x / 100 %.
    public static let one = BasisPoints(10_000)
    /// 0 %.
    public static let zero = BasisPoints(0)

    public var value: Int64

    public init(_ value: Int64) {
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        self.value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    public static func < (lhs: BasisPoints, rhs: BasisPoints) -> Bool { lhs.value < rhs.value }

    /// `1.2500x`-style text.
    public var description: String {
        let whole = self.value / Self.perWhole
        let fraction = abs(self.value % Self.perWhole)
        let digits = String(fraction)
        return
            "\(self.value < 0 && whole == 0 ? "-" : "")\(whole).\(String(repeating: "0", count: 4 - digits.count))\(digits)x"
    }
}
