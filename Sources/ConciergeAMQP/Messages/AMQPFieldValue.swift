/// A value in an AMQP field table (message headers, queue/exchange arguments).
///
/// Decoding maps every integer kind the wire allows (8…64 bit, signed or unsigned) to ``int(_:)``, 32-bit floats
/// and decimals to ``double(_:)``. Encoding writes ``int(_:)`` as a signed 64-bit long (`l`), which RabbitMQ accepts
/// for every numeric argument (`x-max-length`, `x-message-ttl`, …).
public indirect enum AMQPFieldValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// Seconds since the Unix epoch.
    case timestamp(UInt64)
    case bytes([UInt8])
    case array([AMQPFieldValue])
    case table([String: AMQPFieldValue])
    case void
}

extension AMQPFieldValue {
    /// The string payload, if this is a ``string(_:)``.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The integer payload, if this is an ``int(_:)``.
    public var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    /// The table payload, if this is a ``table(_:)``.
    public var tableValue: [String: AMQPFieldValue]? {
        if case .table(let value) = self { value } else { nil }
    }

    /// The array payload, if this is an ``array(_:)``.
    public var arrayValue: [AMQPFieldValue]? {
        if case .array(let value) = self { value } else { nil }
    }
}

extension AMQPFieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
