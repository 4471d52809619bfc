/// A `Duration` as the plain numbers that C APIs, Foundation, logs and wire formats want, in one place.
///
/// The integer conversions truncate toward zero (like `Int(_:)` of a `Double`): `-1.5 ms` is `-1` whole millisecond.
/// They trap on overflow, like any integer arithmetic (about 292 years for nanoseconds).
extension Duration {
    /// Seconds as a `Double` (a Foundation `TimeInterval`).
    public var inSeconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole seconds, rounded up (toward positive infinity): `1.2 s` is `2`, `-1.5 s` is `-1`.
    public var inSecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }

    /// Whole milliseconds, truncated toward zero.
    public var inMilliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole microseconds, truncated toward zero.
    public var inMicroseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Whole nanoseconds, truncated toward zero.
    public var inNanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
