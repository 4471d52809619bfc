/// An amount: its possible values in thousandths of the major unit (several when the separators are ambiguous) and
/// its currency when the text names one.
public struct StatedAmount: Sendable, Hashable {
    public var thousandths: Set<Int64>
    public var currency: String?

    /// Same value in at least one reading, and the same currency when both name one.
    public func matches(_ other: StatedAmount) -> Bool {
        if let currency, let theirs = other.currency, currency != theirs { return false }
        return !self.thousandths.isDisjoint(with: other.thousandths)
    }
}
