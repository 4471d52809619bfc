/// The versioned message contracts the fleet speaks.
///
/// Every message body is a JSON object whose `schema` field names one of these (for example `"inquiry.v1"`); the AMQP
/// `type` property carries the same value. A consumer rejects a schema it does not know to the dead-letter queue with
/// the reason `unknown_schema`. See `docs/contracts.md` for field-level documentation.
public enum MessageSchema: String, Sendable, CaseIterable, Codable {
    /// An inquiry from a customer, published by upstream systems to the inquiries exchange.
    case inquiryV1 = "inquiry.v1"
    /// An inquiry with the classifier's routing decision, on the AI or human lane.
    case routedInquiryV1 = "routed_inquiry.v1"
    /// A reply to the customer, published to the outcomes exchange.
    case replyV1 = "reply.v1"
    /// A hand-off from the AI lane to the human lane.
    case handoffV1 = "handoff.v1"
    /// An offer of a conversation to a human agent, published to the outcomes exchange.
    case offerV1 = "offer.v1"
    /// An event from the agent app (presence, accept, decline, resolve, message).
    case agentEventV1 = "agent_event.v1"
    /// Customer feedback (CSAT) on a conversation.
    case feedbackV1 = "feedback.v1"
    /// A conversation was resolved by an agent (input to payouts).
    case conversationResolvedV1 = "conversation.resolved.v1"
    /// A resolved conversation was reopened within the window (payout clawback).
    case conversationReopenedV1 = "conversation.reopened.v1"
    /// A generic pass-through message (benchmarks and runtime tests).
    case passthroughV1 = "passthrough.v1"
    /// A customer applied to become a gig agent (enrollment, checked against the eligibility rules).
    case agentAppliedV1 = "agent.applied.v1"
    /// The context an agent receives with an assignment (transcript, summary, facts).
    case assignmentV1 = "assignment.v1"
    /// A customer's message delivered to the agent who holds the conversation.
    case customerMessageV1 = "customer_message.v1"
    /// An offer withdrawn, a conversation released, a nudge: shown by the agent app.
    case agentNoticeV1 = "agent_notice.v1"
    /// What the human lane tells the customer (waiting, assigned, agent message, resolved).
    case conversationUpdateV1 = "conversation_update.v1"
    /// Upstream asks that a customer's data be erased (their texts, name and facts copies; see `CustomerErasure`).
    case erasureRequestedV1 = "erasure.requested.v1"

    /// The schema of a raw JSON body, read from its top-level `schema` field.
    public init(schemaName: String) throws(ContractError) {
        guard let schema = MessageSchema(rawValue: schemaName) else {
            throw ContractError(.unknownSchema, detail: "unknown schema '\(schemaName.prefix(64))'")
        }
        self = schema
    }
}
