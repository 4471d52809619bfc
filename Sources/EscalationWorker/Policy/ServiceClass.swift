public import ConciergeCore

/// A position class in the waiting line: VIP customers first, then urgent (severe distress), high (sensitive intent),
/// normal. Each class has its own SLA target.
public enum ServiceClass: String, Sendable, CaseIterable, Comparable {
    case normal
    case high
    case urgent
    case vip

    /// The class of a routed inquiry.
    public init(priority: Priority, vip: Bool) {
        if vip {
            self = .vip
            return
        }
        switch priority {
        case .urgent: self = .urgent
        case .high: self = .high
        case .normal: self = .normal
        }
    }

    /// Higher is served first (`escalations.class_rank`).
    public var rank: Int {
        switch self {
        case .normal: 0
        case .high: 1
        case .urgent: 2
        case .vip: 3
        }
    }

    public static func < (lhs: ServiceClass, rhs: ServiceClass) -> Bool { lhs.rank < rhs.rank }
}
