/// Random secrets from the system's cryptographic generator (`getrandom` on Linux): session tokens and passwords.
public enum SecretToken {
    /// `bytes` random bytes as lowercase hex (a 32-byte token is 64 characters).
    public static func hex(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A password a person can type from a phone: `words` groups of 4 characters from an alphabet without look-alikes
    /// (no 0/o, 1/l/i), joined by `-`; 5 groups carry about 100 bits.
    public static func password(groups: Int = 5) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789".utf8)
        var generator = SystemRandomNumberGenerator()
        var parts: [String] = []
        for _ in 0..<groups {
            var part: [UInt8] = []
            for _ in 0..<4 { part.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
            parts.append(String(decoding: part, as: UTF8.self))
        }
        return parts.joined(separator: "-")
    }

    /// Whether `value` looks like a token ``hex(bytes:)`` made (so junk cookies never reach the database).
    public static func isWellFormed(_ value: String, bytes: Int = 32) -> Bool {
        value.utf8.count == bytes * 2 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
