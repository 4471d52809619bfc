import ConciergeAMQP
import Foundation

extension AMQPFieldValue {
    /// A JSON value that keeps the AMQP type, so headers survive a trip through the dead-letter archive:
    /// `{"s": "text"}`, `{"i": 1}`, `{"b": true}`, `{"d": 1.5}`, `{"t": 1700000000}` (timestamp), `{"x": "base64"}`
    /// (bytes), `{"a": [...]}`, `{"m": {...}}` (table), `{"v": null}`.
    var typedJSON: Any {
        switch self {
        case .string(let value): ["s": value]
        case .bool(let value): ["b": value]
        case .int(let value): ["i": value]
        case .double(let value): ["d": value]
        case .timestamp(let value): ["t": value]
        case .bytes(let value): ["x": Data(value).base64EncodedString()]
        case .array(let values): ["a": values.map(\.typedJSON)]
        case .table(let table): ["m": table.mapValues(\.typedJSON)]
        case .void: ["v": NSNull()]
        }
    }

    /// The inverse of `typedJSON`; nil for anything it did not write.
    init?(typedJSON json: Any) {
        guard let object = json as? [String: Any], object.count == 1, let (tag, value) = object.first else {
            return nil
        }
        switch tag {
        case "s":
            guard let value = value as? String else { return nil }
            self = .string(value)
        case "b":
            guard let value = value as? Bool else { return nil }
            self = .bool(value)
        case "i":
            guard let value = (value as? NSNumber)?.int64Value else { return nil }
            self = .int(value)
        case "d":
            guard let value = (value as? NSNumber)?.doubleValue else { return nil }
            self = .double(value)
        case "t":
            guard let value = (value as? NSNumber)?.uint64Value else { return nil }
            self = .timestamp(value)
        case "x":
            guard let text = value as? String, let data = Data(base64Encoded: text) else { return nil }
            self = .bytes(Array(data))
        case "a":
            guard let values = value as? [Any] else { return nil }
            let decoded = values.compactMap(AMQPFieldValue.init(typedJSON:))
            guard decoded.count == values.count else { return nil }
            self = .array(decoded)
        case "m":
            guard let table = AMQPFieldValue.table(typedJSON: value) else { return nil }
            self = .table(table)
        case "v": self = .void
        default: return nil
        }
    }

    /// Headers as a typed JSON object (text for a `jsonb` column).
    static func headersJSON(_ headers: [String: AMQPFieldValue]) -> String {
        let object = headers.mapValues(\.typedJSON)
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Headers from `headersJSON` (entries it cannot read are left out).
    static func headers(json text: String) -> [String: AMQPFieldValue] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return [:] }
        return self.table(typedJSON: object) ?? [:]
    }

    private static func table(typedJSON json: Any) -> [String: AMQPFieldValue]? {
        guard let object = json as? [String: Any] else { return nil }
        var table: [String: AMQPFieldValue] = [:]
        for (key, value) in object {
            guard let field = AMQPFieldValue(typedJSON: value) else { return nil }
            table[key] = field
        }
        return table
    }
}
