/// Writes JSON straight into bytes, for the contracts the fleet encodes on every message.
///
/// Produces exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` produces for the same value
/// (a test compares the two byte for byte), at a fraction of the cost: no intermediate tree, no `Codable` dispatch.
/// Callers write object members in sorted key order and leave out nil optionals, as the synthesized `Encodable`
/// conformances do.
public struct JSONWriter {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether the next member needs a comma before it.
    private var needsComma: [Bool] = []
    /// Set between a key and its value, so that the value does not write a comma.
    private var valuePending = false

    public init(capacity: Int = 512) {
        self.bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { self.open(UInt8(ascii: "{")) }

    public mutating func endObject() { self.close(UInt8(ascii: "}")) }

    public mutating func beginArray() { self.open(UInt8(ascii: "[")) }

    public mutating func endArray() { self.close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        self.separate()
        self.bytes.append(bracket)
        self.needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        self.needsComma.removeLast()
        self.bytes.append(bracket)
    }

    /// An object member's key; its value follows.
    public mutating func key(_ name: StaticString) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(UInt8(ascii: ":"))
        // The value comes right after the colon, without a comma.
        self.valuePending = true
    }

    public mutating func string(_ value: String) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                self.bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): self.bytes.append(byte)
                case 0x08: self.bytes.append(UInt8(ascii: "b"))
                case 0x0C: self.bytes.append(UInt8(ascii: "f"))
                case 0x0A: self.bytes.append(UInt8(ascii: "n"))
                case 0x0D: self.bytes.append(UInt8(ascii: "r"))
                case 0x09: self.bytes.append(UInt8(ascii: "t"))
                default:
                    self.bytes.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex(byte >> 4),
                        Self.hex(byte & 0xF),
                    ])
                }
            }
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    private static func hex(_ digit: UInt8) -> UInt8 {
        digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
    }

    public mutating func bool(_ value: Bool) {
        self.separate()
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    /// A finite number, written like `JSONEncoder` does (shortest round-trip form, no `.0` on integral values).
    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "JSON has no representation for \(value)")
        self.separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.bytes.append(contentsOf: text.utf8)
    }

    public mutating func strings(_ values: [String]) {
        self.beginArray()
        for value in values { self.string(value) }
        self.endArray()
    }

    /// `key` and `value` as a string member, or nothing when `value` is nil (like `encodeIfPresent`).
    public mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        self.string(value)
    }

    /// Writes the comma that separates this value from the previous member, if any.
    private mutating func separate() {
        if self.valuePending {
            self.valuePending = false
            return
        }
        guard let last = self.needsComma.last else { return }
        if last { self.bytes.append(UInt8(ascii: ",")) }
        self.needsComma[self.needsComma.count - 1] = true
    }
}

/// A value that writes its own JSON with ``JSONWriter``, identical to its `Encodable` output with sorted keys.
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}
