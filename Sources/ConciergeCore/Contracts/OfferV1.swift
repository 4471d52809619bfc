/// `offer.v1`: a conversation offered to one human agent. Published by the escalation worker to the outcomes exchange
/// with the routing key `offer.agent.<agent_id>` (not mandatory: the agent app binds its own queue). The agent
/// answers with an `agent_event.v1` `accept` or `decline` naming `offer_id` before `expires_at`; after that the
/// offer is expired and the conversation goes to the next agent. Message id: the offer id
/// (`<escalation_id>.offer.<attempt>`).
///
/// `surge_multiplier_bp` is the surge shown to the agent, in basis points (10000 = 1.00x); the same value is carried
/// on `conversation.resolved.v1` so the payout uses exactly what the agent was offered.
public struct OfferV1: MessageContract, Hashable {
    public static let schema = MessageSchema.offerV1

    public var schema: String = MessageSchema.offerV1.rawValue
    public var messageID: String
    public var offerID: String
    public var escalationID: String
    public var conversationID: String
    public var agentID: String
    /// 1 for the first agent asked, 2 for the next, …
    public var attempt: Int
    /// `vip`, `urgent`, `high` or `normal`.
    public var serviceClass: String
    public var priority: Priority
    public var vip: Bool
    public var language: String
    public var skills: [String]
    public var intent: String?
    public var complexity: String
    public var surgeMultiplierBasisPoints: Int
    public var offeredAt: String
    public var expiresAt: String
    /// A one-line preview of the customer's first message (at most 140 characters).
    public var preview: String?
    /// Seconds the conversation has waited for a person when offered.
    public var waitedSeconds: Int?
    /// What resolving it pays, from the rate card in force (nil when the market has no card).
    public var pay: Pay?

    /// The pay an offer means, in minor units of the card's currency: `amount_minor` is what resolving it pays (base +
    /// VIP premium + surge; 0 on the hourly model, where resolutions earn no fee), `model` the market's pay model
    /// (`per_resolution`, `hourly`, `hybrid`) and `rate_per_hour_minor` the hourly rate (hourly) or the guaranteed
    /// minimum per hour online (hybrid).
    public struct Pay: Codable, Sendable, Hashable {
        public var amountMinor: Int64
        public var currency: String
        public var model: String
        public var rateCardVersion: String
        /// On the `hourly` model what an hour online and available pays, on `hybrid` the minimum an hour online is
        /// guaranteed; absent on `per_resolution`.
        public var ratePerHourMinor: Int64?

        public init(
            amountMinor: Int64, currency: String, model: String, rateCardVersion: String, ratePerHourMinor: Int64? = nil
        ) {
            self.amountMinor = amountMinor
            self.currency = currency
            self.model = model
            self.rateCardVersion = rateCardVersion
            self.ratePerHourMinor = ratePerHourMinor
        }

        enum CodingKeys: String, CodingKey {
            case amountMinor = "amount_minor"
            case currency, model
            case rateCardVersion = "rate_card_version"
            case ratePerHourMinor = "rate_per_hour_minor"
        }
    }

    public init(
        offerID: String, escalationID: String, conversationID: String, agentID: String, attempt: Int,
        serviceClass: String, priority: Priority, vip: Bool, language: String, skills: [String], intent: String?,
        complexity: String, surgeMultiplierBasisPoints: Int, offeredAt: String, expiresAt: String,
        preview: String? = nil, waitedSeconds: Int? = nil, pay: Pay? = nil
    ) {
        self.messageID = offerID
        self.offerID = offerID
        self.escalationID = escalationID
        self.conversationID = conversationID
        self.agentID = agentID
        self.attempt = attempt
        self.serviceClass = serviceClass
        self.priority = priority
        self.vip = vip
        self.language = language
        self.skills = skills
        self.intent = intent
        self.complexity = complexity
        self.surgeMultiplierBasisPoints = surgeMultiplierBasisPoints
        self.offeredAt = offeredAt
        self.expiresAt = expiresAt
        self.preview = preview
        self.waitedSeconds = waitedSeconds
        self.pay = pay
    }

    /// `offer.agent.<agent_id>`.
    public static func routingKey(agentID: String) -> String { "offer.agent.\(agentID)" }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case offerID = "offer_id"
        case escalationID = "escalation_id"
        case conversationID = "conversation_id"
        case agentID = "agent_id"
        case attempt
        case serviceClass = "service_class"
        case priority, vip, language, skills, intent, complexity
        case surgeMultiplierBasisPoints = "surge_multiplier_bp"
        case offeredAt = "offered_at"
        case expiresAt = "expires_at"
        case preview
        case waitedSeconds = "waited_seconds"
        case pay
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.offerID, field: "offer_id")
        try ContractRules.identifier(self.escalationID, field: "escalation_id")
        try ContractRules.identifier(self.conversationID, field: "conversation_id")
        try ContractRules.agentIdentifier(self.agentID, field: "agent_id")
        guard self.attempt >= 1 else {
            throw ContractError(.schemaViolation, detail: "field 'attempt' must be >= 1")
        }
        guard (10000...50000).contains(self.surgeMultiplierBasisPoints) else {
            throw ContractError(.schemaViolation, detail: "field 'surge_multiplier_bp' must be within 10000...50000")
        }
        _ = try ContractRules.timestamp(self.offeredAt, field: "offered_at")
        _ = try ContractRules.timestamp(self.expiresAt, field: "expires_at")
    }
}
