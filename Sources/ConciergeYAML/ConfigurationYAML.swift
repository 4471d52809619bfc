import Foundation
public import Yams

/// Decodes a configuration file's YAML (`config/intents.yaml`, `routing.yaml`, `payouts.yaml`) like Yams's
/// `YAMLDecoder`, after refusing what Yams would trap on instead of throwing.
///
/// Yams reads a plain scalar such as `1:30:00` as a YAML 1.1 base-60 integer and multiplies without overflow checks:
/// `version: 6666666666666666666:666666666666:6` (or eleven `:`-separated parts of any size) crashed the worker
/// reading it (found by `scripts/fuzz intent-catalog-yaml`). Such a scalar is refused here with an error naming its
/// line; a base-60 number in range, and the same text quoted, decode as before.
public enum ConfigurationYAML {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode<T: Decodable>(_ type: T.Type, from yaml: String) throws -> T {
        let node = try Yams.compose(yaml: yaml) ?? Node("")
        try self.refuseOverflowingBase60(node)
        return try YAMLDecoder().decode(T.self, from: node)
    }

    /// The document's node tree (nil for an empty file), for loaders that walk it themselves, after the same refusal.
    public static func compose(_ yaml: String) throws -> Node? {
        guard let node = try Yams.compose(yaml: yaml) else { return nil }
        try self.refuseOverflowingBase60(node)
        return node
    }

    /// Walks the document (iteratively: a deeply nested file must not exhaust the stack).
    static func refuseOverflowingBase60(_ root: Node) throws {
        var pending = [root]
        while let node = pending.popLast() {
            switch node {
            case .scalar(let scalar):
                guard scalar.style == .plain || scalar.style == .any, self.base60Overflows(scalar.string) else { continue }
                let line = scalar.mark.map { " on line \($0.line)" } ?? ""
                throw Error(description: "number\(line) is out of range (a plain value with ':' is read as base 60; quote it if it is text)")
            case .mapping(let mapping):
                for (key, value) in mapping { pending.append(key); pending.append(value) }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            case .alias:
                continue
            }
        }
    }

    /// Whether Yams's base-60 reading of `text` as a 64-bit integer overflows. Follows Yams 6's steps: `_` removed, a
    /// sign, no `0`/`0x`/`0b`/`0o` prefix (those are read in another radix), every `:`-separated part an `Int64`,
    /// then `value += part * base; base *= 60` from the last part, then the sign applied.
    static func base60Overflows(_ text: String) -> Bool {
        let withSign = text.replacingOccurrences(of: "_", with: "")
        guard withSign.contains(":") else { return false }
        let negative = withSign.hasPrefix("-")
        let unsigned = negative || withSign.hasPrefix("+") ? String(withSign.dropFirst()) : withSign
        guard !unsigned.hasPrefix("0") else { return false }
        let parts = unsigned.split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
        guard parts.allSatisfy({ $0 != nil }) else { return false }
        var base: Int64 = 1
        var value: Int64 = 0
        for case let part? in parts.reversed() {
            let (product, productOverflow) = part.multipliedReportingOverflow(by: base)
            let (sum, sumOverflow) = value.addingReportingOverflow(product)
            let (nextBase, baseOverflow) = base.multipliedReportingOverflow(by: 60)
            if productOverflow || sumOverflow || baseOverflow { return true }
            (value, base) = (sum, nextBase)
        }
        return negative && value == .min
    }
}
