public import struct Foundation.Date
public import struct Foundation.UUID

/// A value that can be read from a result column in PostgreSQL's text format.
///
/// Standard conformances: `String`; `Int`, `Int64`, `Int32`, `Int16`, `UInt8`; `Bool` (`t`/`f`); `Double`
/// (including `Infinity`, `-Infinity`, `NaN`); `UUID`; `Date` from `timestamptz` (any UTC offset, microseconds,
/// `infinity`/`-infinity` as `Date.distantFuture`/`.distantPast`) or `timestamp`/`date` (read as UTC);
/// `[UInt8]` from `bytea` (hex output); `Optional` (SQL NULL is `nil`); and one-dimensional arrays of any decodable
/// element (`{a,"b c",NULL}`; NULL elements need an optional element type).
public protocol PostgresDecodable: Sendable {
    /// Decodes the column's text. Throws ``PostgresError`` (``PostgresError/Code/decodingFailed``) on bad input.
    init(postgresText: String) throws
}

/// Lets decoding produce `nil` for SQL NULL without knowing the wrapped type.
protocol PostgresNullDecodable {
    static var postgresNull: Self { get }
}

extension PostgresError {
    static func decoding(_ context: String) -> PostgresError {
        PostgresError(code: .decodingFailed, operation: "decode", context: context)
    }
}

extension String: PostgresDecodable {
    public init(postgresText: String) throws { self = postgresText }
}

/// Integers decode from PostgreSQL's decimal text output, failing (not wrapping) when the value does not fit.
public protocol PostgresDecodableInteger: PostgresDecodable, FixedWidthInteger {}

extension PostgresDecodableInteger {
    public init(postgresText: String) throws {
        guard let value = Self(postgresText, radix: 10) else { throw PostgresError.decoding("expected \(Self.self)") }
        self = value
    }
}

extension Int: PostgresDecodableInteger {}
extension Int64: PostgresDecodableInteger {}
extension Int32: PostgresDecodableInteger {}
extension Int16: PostgresDecodableInteger {}
extension UInt8: PostgresDecodableInteger {}

extension Bool: PostgresDecodable {
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresError.decoding("expected Bool (t/f)")
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresText: String) throws {
        switch postgresText {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        case "NaN": self = .nan
        default:
            guard let value = Double(postgresText) else { throw PostgresError.decoding("expected Double") }
            self = value
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText: String) throws {
        guard let value = UUID(uuidString: postgresText) else { throw PostgresError.decoding("expected UUID") }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresText: String) throws {
        guard let value = PostgresDateText.parse(postgresText) else {
            throw PostgresError.decoding("expected timestamptz")
        }
        self = value
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes a non-NULL value; a NULL column or element decodes to `nil` without calling this.
    public init(postgresText: String) throws {
        self = .some(try Wrapped(postgresText: postgresText))
    }
}

extension Optional: PostgresNullDecodable where Wrapped: PostgresDecodable {
    static var postgresNull: Wrapped? { .none }
}

/// `[UInt8]` is read from `bytea` hex output; any other array from a one-dimensional array literal.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText: String) throws {
        if Element.self == UInt8.self {
            guard let bytes = PostgresByteaText.parse(postgresText) else {
                throw PostgresError.decoding("expected bytea in hex format")
            }
            self = unsafeBitCast(bytes, to: [Element].self)
            return
        }
        guard let elements = PostgresArrayText.parse(postgresText) else {
            throw PostgresError.decoding("expected a one-dimensional array")
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            result.append(try Element.decodePostgres(element))
        }
        self = result
    }
}

extension PostgresDecodable {
    /// Decodes a value that may be SQL NULL (`nil` text): NULL succeeds only for optional types.
    static func decodePostgres(_ text: String?) throws -> Self {
        if let text { return try Self(postgresText: text) }
        if let nullable = Self.self as? any PostgresNullDecodable.Type, let null = nullable.postgresNull as? Self {
            return null
        }
        throw PostgresError.decoding("NULL into non-optional \(Self.self)")
    }
}
