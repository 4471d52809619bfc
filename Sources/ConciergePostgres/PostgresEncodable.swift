public import struct Foundation.Date
public import struct Foundation.UUID

/// A value that can be sent as a statement parameter, in PostgreSQL's text format.
///
/// The server converts the text to the parameter's type (`$1::bigint`, `$1::text[]`, or the type it infers), so
/// the text must be valid input for that type. Standard conformances:
/// - `String`; `Int`, `Int64`, `Int32`, `Int16`, `UInt8` (decimal); `Bool` (`t`/`f`); `Double` (shortest exact
///   form, `Infinity`, `-Infinity`, `NaN`); `UUID`.
/// - `Date` as a `timestamptz`: ISO 8601 in UTC with microseconds (`2024-05-01 12:00:00.123456+00`).
/// - `[UInt8]` as `bytea` in hex (`\x0102ff`), *not* as `smallint[]`.
/// - `Optional`: `nil` is SQL NULL.
/// - Other arrays as one-dimensional array literals (`{"a","b \"c\"",NULL}`) with every element quoted and
///   escaped, so `$1::text[]`, `$1::bigint[]`, `$1::uuid[]`, `$1::timestamptz[]`, `$1::bytea[]` all work.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text form, or nil for SQL NULL.
    func postgresText() -> String?
}

extension String: PostgresEncodable {
    public func postgresText() -> String? { self }
}

extension Int: PostgresEncodable {
    public func postgresText() -> String? { String(self) }
}

extension Int64: PostgresEncodable {
    public func postgresText() -> String? { String(self) }
}

extension Int32: PostgresEncodable {
    public func postgresText() -> String? { String(self) }
}

extension Int16: PostgresEncodable {
    public func postgresText() -> String? { String(self) }
}

/// A single byte is sent as a number; `[UInt8]` is sent as `bytea` (see ``PostgresEncodable``).
extension UInt8: PostgresEncodable {
    public func postgresText() -> String? { String(self) }
}

extension Bool: PostgresEncodable {
    public func postgresText() -> String? { self ? "t" : "f" }
}

extension Double: PostgresEncodable {
    public func postgresText() -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension UUID: PostgresEncodable {
    public func postgresText() -> String? { uuidString }
}

extension Date: PostgresEncodable {
    public func postgresText() -> String? { PostgresDateText.format(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public func postgresText() -> String? {
        switch self {
        case .some(let value): value.postgresText()
        case .none: nil
        }
    }
}

/// `[UInt8]` is sent as `bytea`; any other array as a one-dimensional array literal with quoted elements.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public func postgresText() -> String? {
        if Element.self == UInt8.self {
            return withUnsafeBytes { PostgresByteaText.format($0) }
        }
        return PostgresArrayText.format(self)
    }
}
