public import Foundation

/// Decodes and validates JSON message bodies against the versioned contracts.
///
/// Decoding is strict about what matters (the `schema` field, required fields and their types, sizes) and tolerant of
/// additional fields, so producers can add optional fields without breaking consumers.
public struct ContractDecoder: Sendable {
    /// The largest body accepted, in bytes.
    public var maximumBodySize: Int

    public init(maximumBodySize: Int = 64 * 1024) {
        self.maximumBodySize = maximumBodySize
    }

    /// Reads the `schema` field of a body without decoding the rest.
    public func schema(of body: [UInt8]) throws(ContractError) -> MessageSchema {
        let header: SchemaHeader = try self.decodeJSON(SchemaHeader.self, from: body)
        return try MessageSchema(schemaName: header.schema)
    }

    /// Decodes a body as `T`, checking size, JSON syntax, the schema name and the contract's own validation.
    public func decode<T: MessageContract>(_ type: T.Type, from body: [UInt8]) throws(ContractError) -> T {
        // The common case in one parse. A body that does not decode as `T` with `T`'s schema is parsed again below,
        // schema first, so that its error names the first thing wrong with it.
        if body.count <= self.maximumBodySize, let value = try? JSONDecoder().decode(T.self, from: Data(body)),
            value.schema == T.schema.rawValue
        {
            try value.validate()
            return value
        }
        let schema = try self.schema(of: body)
        guard schema == T.schema else {
            throw ContractError(.unknownSchema, detail: "expected \(T.schema.rawValue), got \(schema.rawValue)")
        }
        let value = try self.decodeJSON(T.self, from: body)
        try value.validate()
        return value
    }

    private func decodeJSON<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(ContractError) -> T {
        guard body.count <= self.maximumBodySize else {
            throw ContractError(.oversized, detail: "body of \(body.count) bytes exceeds \(self.maximumBodySize)")
        }
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw Self.describe(error)
        } catch {
            throw ContractError(.malformedJSON, detail: "not JSON")
        }
    }

    private static func describe(_ error: DecodingError) -> ContractError {
        func path(_ context: DecodingError.Context) -> String {
            let components = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return components.isEmpty ? "body" : components.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ContractError(.malformedJSON, detail: "not valid JSON")
        case .dataCorrupted(let context):
            return ContractError(.schemaViolation, detail: "invalid value at \(path(context))")
        case .keyNotFound(let key, let context):
            let parent = path(context)
            let field = parent == "body" ? key.stringValue : "\(parent).\(key.stringValue)"
            return ContractError(.schemaViolation, detail: "missing required field '\(field)'")
        case .typeMismatch(let type, let context):
            return ContractError(
                .schemaViolation, detail: "field '\(path(context))' must be \(Self.jsonTypeName(type))")
        case .valueNotFound(let type, let context):
            return ContractError(
                .schemaViolation, detail: "field '\(path(context))' must be \(Self.jsonTypeName(type)), not null")
        @unknown default:
            return ContractError(.schemaViolation, detail: "does not match the contract")
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: "an object of the right shape"
        }
    }

    private struct SchemaHeader: Decodable {
        var schema: String
    }
}

/// A versioned JSON message contract.
public protocol MessageContract: Codable, Sendable {
    /// The schema this type encodes and decodes.
    static var schema: MessageSchema { get }
    /// The body's `schema` field.
    var schema: String { get }
    /// Checks rules that the type system cannot (lengths, formats, ranges). Throws `schemaViolation`.
    func validate() throws(ContractError)
}

extension MessageContract {
    /// The JSON body of this message (sorted keys so bodies are reproducible).
    public func encodedBody() -> [UInt8] {
        if let writable = self as? any JSONWritable {
            // The contracts published on every inquiry write themselves (same bytes, a fraction of the cost).
            var writer = JSONWriter()
            writable.write(to: &writer)
            return writer.bytes
        }
        return self.encodedBodyWithJSONEncoder()
    }

    /// The body as `JSONEncoder` writes it (the reference for the hand-written contract encodings).
    public func encodedBodyWithJSONEncoder() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable structs of strings and numbers cannot fail.
        return Array(try! encoder.encode(self))
    }
}

/// Small validation helpers shared by the contracts.
public enum ContractRules {
    /// An identifier: 1…128 characters of letters, digits and `-_.:@`.
    public static func identifier(_ value: String, field: String) throws(ContractError) {
        guard !value.isEmpty, value.utf8.count <= 128,
            value.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A || byte == 0x40
            })
        else {
            throw ContractError(
                .schemaViolation, detail: "field '\(field)' must be 1-128 characters of [A-Za-z0-9-_.:@]")
        }
    }

    /// A non-empty text of at most `maximumLength` characters.
    public static func text(_ value: String, field: String, maximumLength: Int) throws(ContractError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ContractError(.schemaViolation, detail: "field '\(field)' must not be empty")
        }
        guard value.count <= maximumLength else {
            throw ContractError(.schemaViolation, detail: "field '\(field)' exceeds \(maximumLength) characters")
        }
    }

    /// An RFC 3339 / ISO 8601 timestamp.
    public static func timestamp(_ value: String, field: String) throws(ContractError) -> Date {
        if let date = Timestamps.parse(value) { return date }
        throw ContractError(.schemaViolation, detail: "field '\(field)' must be an RFC 3339 timestamp")
    }

    /// A lowercase token such as a channel name: 1…32 of `[a-z0-9_]`.
    public static func token(_ value: String, field: String) throws(ContractError) {
        guard !value.isEmpty, value.utf8.count <= 32,
            value.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
        else {
            throw ContractError(.schemaViolation, detail: "field '\(field)' must be 1-32 characters of [a-z0-9_]")
        }
    }
}

/// RFC 3339 timestamps, with or without fractional seconds.
public enum Timestamps {
    public static func parse(_ value: String) -> Date? {
        if let date = try? Date(value, strategy: .iso8601) { return date }
        return try? Date(value, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
