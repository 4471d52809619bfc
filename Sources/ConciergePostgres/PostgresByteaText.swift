import ConciergeSupport

/// The hex text form of `bytea` (`\x0102ff`).
enum PostgresByteaText {
    private static let digits = Array("0123456789abcdef".utf8)

    static func format(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 2 + bytes.count * 2) { buffer in
            buffer[0] = UInt8(ascii: "\\")
            buffer[1] = UInt8(ascii: "x")
            var i = 2
            for byte in bytes {
                buffer[i] = digits[Int(byte >> 4)]
                buffer[i + 1] = digits[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    /// Parses hex output (`\x…`); nil for anything else.
    static func parse(_ text: String) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count >= 2, utf8.count % 2 == 0 else { return nil }
        var iterator = utf8.makeIterator()
        guard iterator.next() == UInt8(ascii: "\\"), iterator.next() == UInt8(ascii: "x") else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2 - 1)
        while let high = iterator.next() {
            guard let h = high.hexDigitValue, let l = iterator.next()?.hexDigitValue else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }
}
