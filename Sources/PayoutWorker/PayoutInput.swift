public import ConciergeCore
public import ConciergeRuntime

/// What the payout queue carries: three schemas on one queue, told apart by the body's `schema` field.
public enum PayoutInput: Sendable, Hashable {
    case resolved(ConversationResolvedV1)
    case feedback(FeedbackV1)
    case reopened(ConversationReopenedV1)

    /// Peeks at `schema`, then decodes and validates the matching contract; any other schema is `unknown_schema`.
    public static func decode(_ body: [UInt8], decoder: ContractDecoder = ContractDecoder()) throws(ContractError) -> PayoutInput {
        switch try decoder.schema(of: body) {
        case .conversationResolvedV1: .resolved(try decoder.decode(ConversationResolvedV1.self, from: body))
        case .feedbackV1: .feedback(try decoder.decode(FeedbackV1.self, from: body))
        case .conversationReopenedV1: .reopened(try decoder.decode(ConversationReopenedV1.self, from: body))
        case let other:
            throw ContractError(.unknownSchema, detail: "the payout worker does not take \(other.rawValue)")
        }
    }

    /// The conversation the event belongs to: events of one conversation are applied one transaction at a time.
    public var conversationID: String {
        switch self {
        case .resolved(let event): event.conversationID
        case .feedback(let event): event.conversationID
        case .reopened(let event): event.conversationID
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
