public import ConciergeRuntime

extension DeadLetterSelection {
    /// The selection an operator's flags name: ids (`--id`, repeatable), one reason (`--reason`) or every pending
    /// dead letter (`--all`); nil unless exactly one of the three is given.
    public init?(ids: [Int64], reason: String?, all: Bool) {
        switch (!ids.isEmpty, reason, all) {
        case (true, nil, false): self = .ids(ids)
        case (false, let reason?, false): self = .reason(reason)
        case (false, nil, true): self = .pending
        default: return nil
        }
    }
}
