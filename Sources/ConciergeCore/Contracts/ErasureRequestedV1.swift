/// `erasure.requested.v1`: upstream (the privacy desk, a `data_privacy_request` that was granted) asks that one
/// customer's data be erased. Published to the work exchange with routing key `privacy.erasure`; applied once by the
/// erasure handler (idempotent: a repeated request records another run and changes nothing).
public struct ErasureRequestedV1: MessageContract, Hashable {
    public static let schema = MessageSchema.erasureRequestedV1

    public var schema: String = MessageSchema.erasureRequestedV1.rawValue
    public var messageID: String
    public var customerID: String
    public var requestedAt: String

    public init(messageID: String, customerID: String, requestedAt: String) {
        self.messageID = messageID
        self.customerID = customerID
        self.requestedAt = requestedAt
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case customerID = "customer_id"
        case requestedAt = "requested_at"
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        try ContractRules.identifier(self.customerID, field: "customer_id")
        _ = try ContractRules.timestamp(self.requestedAt, field: "requested_at")
    }
}
