public import ConciergeCore

/// Why a message went to the dead-letter queue (its `x-concierge-reason` header and the `reason` of
/// `concierge_dead_lettered_total`): the contract's refusal, the handler's, or one of the runtime's own. A closed set:
/// built only from those codes.
public struct DeadLetterReason: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    private init(rawValue: String) { self.rawValue = rawValue }

    /// The body broke its contract (`malformed_json`, `schema_violation`, `untrusted_sender`…).
    public init(_ code: ContractError.Code) { self.init(rawValue: code.rawValue) }

    /// The handler refused it for good.
    public init(_ code: HandlerError.Code) { self.init(rawValue: code.rawValue) }

    /// Redelivered after interrupting more workers than `worker.poison_attempts` allows.
    public static let poisonMessage = DeadLetterReason(rawValue: "poison_message")
    /// Failed after the last retry tier.
    public static let retriesExhausted = DeadLetterReason(rawValue: "retries_exhausted")
    /// Holds data the database cannot store (a NUL byte, a value out of its column's range).
    public static let unstorableData = DeadLetterReason(rawValue: "unstorable_data")

    public var description: String { self.rawValue }

    /// Every reason the fleet gives.
    public static let all: [DeadLetterReason] =
        ContractError.Code.all.map(DeadLetterReason.init) + [.unstorableData, .poisonMessage, .retriesExhausted]
        + HandlerError.Code.all.map(DeadLetterReason.init)
}
