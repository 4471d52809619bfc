import ConciergeCore

/// What PostgreSQL text cannot hold, caught at the edge so such a message is dead-lettered with a reason at once
/// instead of failing its batch's transaction.
///
/// PostgreSQL `text` cannot store the NUL character. A JSON body can carry one only as the escape `\u0000` (a raw
/// NUL byte is not valid JSON, and invalid UTF-8 is refused by the contract decoder as malformed JSON). Data the
/// database refuses anyway (SQLSTATE class 22) is dead-lettered as `unstorable_data` (`DeadLetterReason.unstorableData`) by
/// the batch processor.
enum StorableText {

    /// Whether a JSON document contains the escape `\u0000` inside a string. Escapes are skipped as a whole, so
    /// `"\\u0000"` (an escaped backslash followed by the letters u0000) is not one.
    static func containsNUL(json body: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\")
        var index = 0
        let end = body.count
        while index < end {
            if body[index] == 0 { return true }
            guard body[index] == backslash, index + 1 < end else {
                index += 1
                continue
            }
            if body[index + 1] == UInt8(ascii: "u"), index + 5 < end,
                body[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") })
            {
                return true
            }
            index += 2  // the backslash and the character it escapes
        }
        return false
    }
}
