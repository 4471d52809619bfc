public import ConciergeCore
import ConciergeRuntime
public import Foundation

/// What the payout queue carries: three schemas on one queue, told apart by the body's `schema` field, each with its
/// time parsed (`resolved_at`, `submitted_at`, `reopened_at`), so the money logic never sees a timestamp it has to guess.
public enum PayoutInput: Sendable, Hashable {
    case resolved(ConversationResolvedV1, at: Date)
    case feedback(FeedbackV1, at: Date)
    case reopened(ConversationReopenedV1, at: Date)

    /// Peeks at `schema`, then decodes and validates the matching contract; any other schema is `unknown_schema`.
    public static func decode(_ body: [UInt8], decoder: ContractDecoder = ContractDecoder()) throws(ContractError)
        -> PayoutInput
    {
        switch try decoder.schema(of: body) {
        case .conversationResolvedV1: try .parse(decoder.decode(ConversationResolvedV1.self, from: body))
        case .feedbackV1: try .parse(decoder.decode(FeedbackV1.self, from: body))
        case .conversationReopenedV1: try .parse(decoder.decode(ConversationReopenedV1.self, from: body))
        case let other:
            throw ContractError(.unknownSchema, detail: "the payout worker does not take \(other.rawValue)")
        }
    }

    /// A resolution with its time parsed.
    public static func parse(_ event: ConversationResolvedV1) throws(ContractError) -> PayoutInput {
        .resolved(event, at: try ContractRules.timestamp(event.resolvedAt, field: "resolved_at"))
    }

    /// A rating with its time parsed.
    public static func parse(_ event: FeedbackV1) throws(ContractError) -> PayoutInput {
        .feedback(event, at: try ContractRules.timestamp(event.submittedAt, field: "submitted_at"))
    }

    /// A reopen with its time parsed.
    public static func parse(_ event: ConversationReopenedV1) throws(ContractError) -> PayoutInput {
        .reopened(event, at: try ContractRules.timestamp(event.reopenedAt, field: "reopened_at"))
    }

    /// The conversation the event belongs to: events of one conversation are applied one transaction at a time.
    public var conversationID: String {
        switch self {
        case .resolved(let event, _): event.conversationID
        case .feedback(let event, _): event.conversationID
        case .reopened(let event, _): event.conversationID
        }
    }

    /// The schema name, for metrics.
    public var schema: MessageSchema {
        switch self {
        case .resolved: .conversationResolvedV1
        case .feedback: .feedbackV1
        case .reopened: .conversationReopenedV1
        }
    }
}
