/// The surge multiplier, in basis points (10000 = 1.00x), from waiting demand versus available agents.
///
/// Stepwise and capped: `ratio` is waiting conversations per available agent in percent (integer arithmetic only);
/// the multiplier is that of the highest step whose threshold the ratio reaches, never above `capBasisPoints` and
/// never below 1.00x. With nobody available and someone waiting, the ratio is treated as infinite (top step).
public struct SurgePolicy: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        /// Waiting conversations per available agent, in percent (150 = 1.5 waiting per agent).
        public var ratioPercent: Int
        public var multiplierBasisPoints: Int

        public init(ratioPercent: Int, multiplierBasisPoints: Int) {
            self.ratioPercent = ratioPercent
            self.multiplierBasisPoints = multiplierBasisPoints
        }
    }

    public static let baseBasisPoints = 10000

    public var steps: [Step]
    public var capBasisPoints: Int

    public init(steps: [Step], capBasisPoints: Int) {
        self.steps = steps.sorted { $0.ratioPercent < $1.ratioPercent }
        self.capBasisPoints = max(Self.baseBasisPoints, min(capBasisPoints, 50000))
    }

    /// 1.1x from 1 waiting per agent, 1.25x from 1.5, 1.5x from 2, 2x from 3; capped at 2x.
    public static let standard = SurgePolicy(
        steps: [
            .init(ratioPercent: 100, multiplierBasisPoints: 11000),
            .init(ratioPercent: 150, multiplierBasisPoints: 12500),
            .init(ratioPercent: 200, multiplierBasisPoints: 15000),
            .init(ratioPercent: 300, multiplierBasisPoints: 20000),
        ],
        capBasisPoints: 20000
    )

    /// The multiplier for `waiting` conversations (waiting or on offer) and `available` agents (online, active, with
    /// spare capacity).
    public func multiplier(waiting: Int, available: Int) -> Int {
        guard waiting > 0 else { return Self.baseBasisPoints }
        var chosen = Self.baseBasisPoints
        if available <= 0 {
            chosen = self.steps.map(\.multiplierBasisPoints).max() ?? Self.baseBasisPoints
        } else {
            let ratio = waiting * 100 / available
            for step in self.steps where ratio >= step.ratioPercent {
                chosen = max(chosen, step.multiplierBasisPoints)
            }
        }
        return min(max(chosen, Self.baseBasisPoints), self.capBasisPoints)
    }
}
