extension Backoff {
    /// The range a delay's random factor is drawn from (uniformly).
    ///
    /// - ``none``: no randomness, the delay is the ceiling.
    /// - ``proportional(_:)``: `1 ± fraction`, e.g. ±20 % around the ceiling.
    /// - ``full``: anything from zero to the ceiling ("full jitter").
    /// - ``equal``: between half and all of the ceiling ("equal jitter").
    public struct Jitter: Sendable, Hashable {
        /// The factors the ceiling is multiplied by.
        public var factors: ClosedRange<Double>

        public init(factors: ClosedRange<Double>) {
            precondition(
                factors.lowerBound >= 0 && factors.upperBound.isFinite, "jitter factors must be finite and not negative"
            )
            self.factors = factors
        }

        public static let none = Jitter(factors: 1...1)
        public static let full = Jitter(factors: 0...1)
        public static let equal = Jitter(factors: 0.5...1)

        /// A factor in `1 - fraction ... 1 + fraction`; `fraction` in `0..<1`.
        public static func proportional(_ fraction: Double) -> Jitter {
            precondition(fraction >= 0 && fraction < 1, "jitter fraction must be in [0, 1)")
            return Jitter(factors: (1 - fraction)...(1 + fraction))
        }

        /// `delay` scaled by a factor drawn from ``factors``; a single-point range draws nothing from `generator`.
        public func apply(to delay: Duration, using generator: inout some RandomNumberGenerator) -> Duration {
            guard self.factors.lowerBound < self.factors.upperBound else {
                return self.factors.lowerBound == 1 ? delay : delay * self.factors.lowerBound
            }
            return delay * Double.random(in: self.factors, using: &generator)
        }
    }
}
