import Foundation
public import Yams

/// Decodes a configuration file's YAML (`config/intents.yaml`, `routing.yaml`, `payouts.yaml`) like Yams's
/// `YAMLDecoder`, after refusing what Yams would trap on instead of throwing; every failure is a
/// ``ConfigurationFileError`` naming the configuration and the file.
///
/// Yams reads a plain scalar such as `1:30:00` as a YAML 1.1 base-60 integer and multiplies without overflow checks:
/// `version: 6666666666666666666:666666666666:6` (or eleven `:`-separated parts of any size) crashed the worker
/// reading it (found by `scripts/fuzz intent-catalog-yaml`). Such a scalar is refused here with an error naming its
/// line; a base-60 number in range, and the same text quoted, decode as before.
public enum ConfigurationYAML {
    /// `yaml` decoded as `T`. A field that is absent is `missing_field`, one of the wrong kind or refused by `T`'s
    /// decoding `invalid_field`, both with its key path; a ``ConfigurationFileError`` thrown by `T`'s decoding comes
    /// through with `configuration` and `file` filled in.
    public static func decode<T: Decodable>(
        _ type: T.Type, from yaml: String, configuration: String = "configuration", file: String = ""
    ) throws(ConfigurationFileError) -> T {
        let node = try self.compose(yaml, configuration: configuration, file: file) ?? Node("")
        do {
            return try YAMLDecoder().decode(T.self, from: node)
        } catch var error as ConfigurationFileError {
            if error.configuration.isEmpty { error.configuration = configuration }
            if error.file.isEmpty { error.file = file }
            throw error
        } catch let error as DecodingError {
            throw self.fileError(error, configuration: configuration, file: file)
        } catch {
            throw ConfigurationFileError(.invalidField, configuration: configuration, file: file, "\(error)")
        }
    }

    /// The document's node tree (nil for an empty file), for loaders that walk it themselves, after the same refusal.
    public static func compose(_ yaml: String, configuration: String = "configuration", file: String = "")
        throws(ConfigurationFileError) -> Node?
    {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationFileError(.unreadable, configuration: configuration, file: file, "not YAML: \(error)")
        }
        guard let node else { return nil }
        try self.refuseOverflowingBase60(node, configuration: configuration, file: file)
        return node
    }

    /// A dotted key path (`intents.3.answer`).
    public static func keyPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func fileError(_ error: DecodingError, configuration: String, file: String) -> ConfigurationFileError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = self.keyPath(context.codingPath + [key])
            return ConfigurationFileError(
                .missingField, configuration: configuration, file: file, keyPath: path, "no '\(path)'")
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            let path = self.keyPath(context.codingPath)
            return ConfigurationFileError(
                .invalidField, configuration: configuration, file: file, keyPath: path,
                path.isEmpty ? context.debugDescription : "'\(path)': \(context.debugDescription)"
            )
        @unknown default:
            return ConfigurationFileError(.invalidField, configuration: configuration, file: file, "\(error)")
        }
    }

    /// Walks the document (iteratively: a deeply nested file must not exhaust the stack).
    static func refuseOverflowingBase60(_ root: Node, configuration: String, file: String)
        throws(ConfigurationFileError)
    {
        var pending = [root]
        while let node = pending.popLast() {
            switch node {
            case .scalar(let scalar):
                guard scalar.style == .plain || scalar.style == .any, self.base60Overflows(scalar.string) else {
                    continue
                }
                throw ConfigurationFileError(
                    .invalidField, configuration: configuration, file: file, line: scalar.mark?.line,
                    "number is out of range (a plain value with ':' is read as base 60; quote it if it is text)"
                )
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
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
