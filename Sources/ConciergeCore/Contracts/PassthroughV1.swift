/// `passthrough.v1`: an opaque message that the pass-through worker copies to its output. Used by the runtime's
/// benchmark and fault tests; `sent_at_ns` lets the benchmark measure end-to-end latency.
public struct PassthroughV1: MessageContract, Hashable {
    public static let schema = MessageSchema.passthroughV1

    public var schema: String = MessageSchema.passthroughV1.rawValue
    public var messageID: String
    public var sequence: Int
    public var sentAtNanoseconds: Int64
    public var payload: String

    public init(messageID: String, sequence: Int, sentAtNanoseconds: Int64, payload: String) {
        self.messageID = messageID
        self.sequence = sequence
        self.sentAtNanoseconds = sentAtNanoseconds
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case messageID = "message_id"
        case sequence
        case sentAtNanoseconds = "sent_at_ns"
        case payload
    }

    public func validate() throws(ContractError) {
        try ContractRules.identifier(self.messageID, field: "message_id")
        guard self.sequence >= 0 else {
            throw ContractError(.schemaViolation, detail: "field 'sequence' must be >= 0")
        }
    }
}
