/// Why an incoming message body was refused. The code is a closed set, used as the dead-letter reason and as a
/// metric dimension; `detail` says what exactly was wrong (field names, limits) and never echoes customer text.
public struct ContractError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The body is not valid JSON (or not UTF-8).
        public static let malformedJSON = Code("malformed_json")
        /// The body is JSON but violates the contract: a missing or mistyped field, a value out of range.
        public static let schemaViolation = Code("schema_violation")
        /// The `schema` field names a contract (or version) this consumer does not handle.
        public static let unknownSchema = Code("unknown_schema")
        /// The body is larger than the configured maximum.
        public static let oversized = Code("oversized")
        /// The message has no usable message id (the AMQP `message_id` property or the body's `message_id`).
        public static let missingMessageID = Code("missing_message_id")
        /// Published by an AMQP user (RabbitMQ's validated `user_id`) that is not the contract's producer: an agent
        /// event not from an agent app, a payout event not from the escalation worker.
        public static let untrustedSender = Code("untrusted_sender")
        /// A string holds a NUL character (the JSON escape `\u0000`), which PostgreSQL text cannot store.
        public static let unstorableText = Code("unstorable_text")

        /// Every code, for documentation and tests.
        public static let all: [Code] = [
            .malformedJSON, .schemaViolation, .unknownSchema, .oversized, .missingMessageID, .untrustedSender,
            .unstorableText,
        ]
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
