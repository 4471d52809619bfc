/// What closing a period did.
public struct PeriodCloseResult: Sendable, Hashable {
    public var periodID: String
    /// False when the period was already closed (nothing changed).
    public var closedNow: Bool
    public var statements: Int
    public var lines: Int
    /// Statement totals per currency code, in minor units.
    public var totals: [String: Int64]

    public init(periodID: String, closedNow: Bool, statements: Int, lines: Int, totals: [String: Int64]) {
        self.periodID = periodID
        self.closedNow = closedNow
        self.statements = statements
        self.lines = lines
        self.totals = totals
    }
}
