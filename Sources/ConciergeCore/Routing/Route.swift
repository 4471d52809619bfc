/// Where an inquiry goes.
public enum Route: String, Sendable, Codable, CaseIterable, Comparable {
    /// The AI responder answers.
    case ai
    /// A human agent answers, in the normal waiting line.
    case human
    /// A human agent answers, ahead of the normal waiting line.
    case humanPriority = "human_priority"

    /// Strength: a stronger route always wins when several rules fire.
    var strength: Int {
        switch self {
        case .ai: 0
        case .human: 1
        case .humanPriority: 2
        }
    }

    public static func < (lhs: Route, rhs: Route) -> Bool { lhs.strength < rhs.strength }

    public var isHuman: Bool { self != .ai }
}

/// Priority in the human waiting line.
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case normal
    case high
    case urgent

    var rank: Int {
        switch self {
        case .normal: 0
        case .high: 1
        case .urgent: 2
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// How strong the negative emotion in a message is.
public enum Distress: String, Sendable, Codable, CaseIterable {
    case none
    case mild
    case severe
}
