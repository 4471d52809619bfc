/// The text form of one-dimensional PostgreSQL arrays (`{a,"b c",NULL}`).
enum PostgresArrayText {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ",")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")

    /// Formats an array literal. Every non-NULL element is double-quoted with `"` and `\` backslash-escaped, which
    /// is valid input for any element type (a quoted `"NULL"` stays the string NULL).
    static func format<Element: PostgresEncodable>(_ elements: [Element]) -> String {
        // Built as UTF-8 bytes: bodies of JSON (full of quotes) are escaped a byte at a time, not a scalar at a time.
        var out: [UInt8] = [openBrace]
        out.reserveCapacity(2 + elements.count * 16)
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(comma) }
            guard var text = element.postgresText() else {
                out.append(contentsOf: "NULL".utf8)
                continue
            }
            out.append(quote)
            text.withUTF8 { bytes in
                var start = 0
                for (offset, byte) in bytes.enumerated() where byte == quote || byte == backslash {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<offset]))
                    out.append(backslash)
                    start = offset
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            }
            out.append(quote)
        }
        out.append(closeBrace)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a one-dimensional array literal into its element texts (nil for NULL). Returns nil when the text is
    /// not such a literal (including multi-dimensional arrays). A leading dimension decoration (`[0:1]=`) is skipped.
    static func parse(_ text: String) -> [String?]? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> [String?]? {
        var i = 0
        let n = bytes.count
        if n > 0, bytes[0] == UInt8(ascii: "[") {
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            i = equals + 1
        }
        guard i < n, bytes[i] == openBrace else { return nil }
        i += 1
        var elements: [String?] = []
        var scratch: [UInt8] = []

        func skipSpace() { while i < n, isSpace(bytes[i]) { i += 1 } }

        skipSpace()
        if i < n, bytes[i] == closeBrace {
            i += 1
            skipSpace()
            return i == n ? [] : nil
        }
        while true {
            skipSpace()
            guard i < n else { return nil }
            scratch.removeAll(keepingCapacity: true)
            if bytes[i] == quote {
                i += 1
                var closed = false
                while i < n {
                    let byte = bytes[i]
                    if byte == backslash {
                        i += 1
                        guard i < n else { return nil }
                        scratch.append(bytes[i])
                    } else if byte == quote {
                        closed = true
                        i += 1
                        break
                    } else {
                        scratch.append(byte)
                    }
                    i += 1
                }
                guard closed else { return nil }
                elements.append(String(decoding: scratch, as: UTF8.self))
                skipSpace()
            } else if bytes[i] == openBrace {
                return nil  // multi-dimensional arrays are not supported
            } else {
                var escaped = false
                var lastNonSpace = 0
                while i < n, bytes[i] != comma, bytes[i] != closeBrace {
                    if bytes[i] == backslash {
                        i += 1
                        guard i < n else { return nil }
                        escaped = true
                        scratch.append(bytes[i])
                        lastNonSpace = scratch.count
                    } else {
                        scratch.append(bytes[i])
                        if !isSpace(bytes[i]) { lastNonSpace = scratch.count }
                    }
                    i += 1
                }
                scratch.removeLast(scratch.count - lastNonSpace)
                guard !scratch.isEmpty else { return nil }
                if !escaped, scratch.count == 4,
                    scratch.elementsEqual("null".utf8, by: { $0 | 0x20 == $1 })
                {
                    elements.append(nil)
                } else {
                    elements.append(String(decoding: scratch, as: UTF8.self))
                }
            }
            guard i < n else { return nil }
            if bytes[i] == comma {
                i += 1
                continue
            }
            guard bytes[i] == closeBrace else { return nil }
            i += 1
            skipSpace()
            return i == n ? elements : nil
        }
    }
}
