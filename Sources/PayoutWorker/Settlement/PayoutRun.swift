/// What `payouts pay` made (or found, when the run already existed).
public struct PayoutRun: Sendable, Hashable {
    public struct Instruction: Sendable, Hashable {
        public var instructionID: String
        public var agentID: String
        public var currency: String
        public var amountMinor: Int64
        public var statements: Int
    }

    public struct Carry: Sendable, Hashable {
        public var agentID: String
        public var currency: String
        public var amountMinor: Int64
        public var statements: Int
        /// `below_minimum` or `no_payout_details`.
        public var reason: String
    }

    public var runID: String
    public var periodID: String
    /// False when the run already existed (nothing was created).
    public var createdNow: Bool
    public var instructions: [Instruction]
    public var carries: [Carry]

    /// Instruction totals per currency, minor units.
    public var totals: [String: Int64] {
        self.instructions.reduce(into: [:]) { $0[$1.currency, default: 0] += $1.amountMinor }
    }
}
