/// The side of a double-entry posting.
public enum LedgerSide: String, Sendable, Hashable, CaseIterable, Codable {
    case debit
    case credit

    /// The other side: what a reversing entry uses.
    public var opposite: LedgerSide { self == .debit ? .credit : .debit }
}
