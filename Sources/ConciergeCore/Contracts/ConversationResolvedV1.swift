/// `conversation.resolved.v1`: an agent resolved a conversation. Published by the escalation worker to the work
/// exchange with the routing key `payout.event`; the payout worker prices it.
///
/// Money-relevant values are integers: `surge_multiplier_bp` is the surge multiplier the agent was shown on the
/// accepted offer, in basis points (10000 = 1.00x, 12500 = 1.25x).
public struct ConversationResolvedV1: MessageContract, Hashable {
    public static let schema = MessageSchema.conversationResolvedV1

    public var schema: String = MessageSchema.conversationResolvedV1.rawValue
    public var messageID: String
    public var conversationID: String
    public var assignmentID: String
    public var offerID: String
    public var agentID: String
    public var customerID: String
    /// `resolved` or `unresolved` (the agent closed it without solving it).
    public var outcome: String
    /// `routine`, `complex` or `sensitive` (from the classification).
    public var complexity: String
    public var vip: Bool
    public var surgeMultiplierBasisPoints: Int
    /// Market of the customer, e.g. `EU`, `UK`: selects the rate card.
    public var market: String
    public var resolvedAt: String

    public init(
        messageID: String, conversationID: String, assignmentID: String, offerID: String, agentID: String,
        customerID: String, outcome: String, complexity: String, vip: Bool, surgeMultiplierBasisPoints: Int,
        market: String, resolvedAt: String
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.assignmentID = assignmentID
        self.offerID = offerID
        self.agentID = agentID
        self.customerID = customerID
        self.outcome = outcome
        self.complexity = complexity
        self.vip = vip
        self.surgeMultiplierBasisPoints = surgeMultiplierBasisPoints
        self.market = market
        self.resolvedAt = resolvedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case assignmentID = "assignment_id"
        case offerID = "offer_id"
        case agentID = "agent_id"
        case customerID = "customer_id"
        case outcome, complexity, vip
        case surgeMultiplierBasisPoints = "surge_multiplier_bp"
        case market
        case resolvedAt = "resolved_at"
    }

    public func validate() throws(ContractError) {
        for (value, field) in [
            (self.messageID, "message_id"), (self.conversationID, "conversation_id"),
            (self.assignmentID, "assignment_id"),
            (self.offerID, "offer_id"), (self.agentID, "agent_id"), (self.customerID, "customer_id"),
        ] {
            try ContractRules.identifier(value, field: field)
        }
        guard ["resolved", "unresolved"].contains(self.outcome) else {
            throw ContractError(.schemaViolation, detail: "field 'outcome' must be resolved or unresolved")
        }
        guard ["routine", "complex", "sensitive"].contains(self.complexity) else {
            throw ContractError(.schemaViolation, detail: "field 'complexity' must be routine, complex or sensitive")
        }
        guard (10000...50000).contains(self.surgeMultiplierBasisPoints) else {
            throw ContractError(.schemaViolation, detail: "field 'surge_multiplier_bp' must be within 10000...50000")
        }
        try ContractRules.token(self.market.lowercased(), field: "market")
        _ = try ContractRules.timestamp(self.resolvedAt, field: "resolved_at")
    }
}
