import Foundation

/// The normalisation and tokenisation every ``IntentModel`` applies to its input.
///
/// The rules, in order:
/// - Case is folded (`Card` → `card`) and diacritics are removed (`café` → `cafe`,
///   `Überweisung` → `uberweisung`); a few letters without a decomposition are spelled out (`ß` → `ss`,
///   `æ` → `ae`, `ø` → `o`, `ł` → `l`).
/// - A token is a run of letters. Apostrophes inside a word join it (`don't`, `don’t` → `dont`).
/// - A run of digits, with `.` or `,` between digits (`1,000.50`), becomes the placeholder ``numberToken``; a
///   currency sign (`$`, `£`, `€`, any Unicode currency symbol) becomes ``currencyToken``. Letters glued to a number
///   start a new token (`10am` → `#num am`).
/// - Everything else (punctuation, symbols, emoji, whitespace) separates tokens.
///
/// Typos are handled by the model's character n-grams rather than here.
public enum IntentTokenizer {
    /// The token every number becomes.
    public static let numberToken = "#num"
    /// The token every currency sign becomes.
    public static let currencyToken = "#cur"

    /// The normalised tokens of `text`, in order.
    public static func tokens(_ text: String) -> [String] {
        var buffer = TokenBuffer()
        buffer.tokenize(text)
        return buffer.ranges.map { range in
            String(decoding: buffer.bytes[range], as: UTF8.self)
        }
    }
}

/// Normalised tokens of one text as byte ranges into one UTF-8 buffer, so feature extraction needs no `String`s.
struct TokenBuffer {
    /// The normalised bytes of all tokens, back to back.
    var bytes: [UInt8] = []
    /// One range per token, in order.
    var ranges: [Range<Int>] = []
    /// Whether the token at the same position is a placeholder (`#num`, `#cur`).
    var isPlaceholder: [Bool] = []

    private enum State { case none, word, number }

    init() {
        bytes.reserveCapacity(256)
        ranges.reserveCapacity(48)
        isPlaceholder.reserveCapacity(48)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        isPlaceholder.removeAll(keepingCapacity: true)
    }

    /// Replaces the contents with the tokens of `text`.
    mutating func tokenize(_ text: String) {
        removeAll()
        var state = State.none
        var start = 0
        // A number may continue over one `.` or `,` if a digit follows: remember that one pending separator.
        var pendingSeparator = false

        func close(_ s: inout State) {
            if s == .word {
                if bytes.count > start {
                    ranges.append(start..<bytes.count)
                    isPlaceholder.append(false)
                }
            } else if s == .number {
                appendPlaceholder(IntentTokenizer.numberToken)
            }
            s = .none
        }

        for scalar in text.unicodeScalars {
            let v = scalar.value
            // ASCII fast path.
            if v < 0x80 {
                let byte = UInt8(truncatingIfNeeded: v)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if state != .word {
                        close(&state)
                        state = .word
                        start = bytes.count
                    }
                    bytes.append(byte | 0x20)
                    pendingSeparator = false
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if state != .number {
                        close(&state)
                        state = .number
                    }
                    pendingSeparator = false
                case UInt8(ascii: "'"), UInt8(ascii: "`"):
                    if state != .word { close(&state) }
                    pendingSeparator = false
                case UInt8(ascii: "."), UInt8(ascii: ","):
                    if state == .number && !pendingSeparator {
                        pendingSeparator = true
                    } else {
                        close(&state)
                        pendingSeparator = false
                    }
                case UInt8(ascii: "$"):
                    close(&state)
                    appendPlaceholder(IntentTokenizer.currencyToken)
                    pendingSeparator = false
                default:
                    close(&state)
                    pendingSeparator = false
                }
                continue
            }
            pendingSeparator = false
            let properties = scalar.properties
            switch v {
            case 0x2019, 0x2018, 0x02BC, 0x02B9, 0x00B4:  // ’ ‘ ʼ ʹ ´ act as apostrophes
                if state != .word { close(&state) }
                continue
            default:
                break
            }
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark {
                continue  // combining marks of already-decomposed input
            }
            if properties.generalCategory == .currencySymbol {
                close(&state)
                appendPlaceholder(IntentTokenizer.currencyToken)
                continue
            }
            if properties.numericType == .decimal {
                if state != .number {
                    close(&state)
                    state = .number
                }
                continue
            }
            if properties.isAlphabetic {
                if state != .word {
                    close(&state)
                    state = .word
                    start = bytes.count
                }
                appendFolded(scalar)
                continue
            }
            close(&state)
        }
        close(&state)
    }

    private mutating func appendPlaceholder(_ token: String) {
        let begin = bytes.count
        bytes.append(contentsOf: token.utf8)
        ranges.append(begin..<bytes.count)
        isPlaceholder.append(true)
    }

    /// Appends the lower-cased, diacritic-free UTF-8 of a non-ASCII letter.
    private mutating func appendFolded(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x00DF, 0x1E9E:
            bytes.append(contentsOf: "ss".utf8)
            return  // ß ẞ
        case 0x00E6, 0x00C6:
            bytes.append(contentsOf: "ae".utf8)
            return  // æ Æ
        case 0x0153, 0x0152:
            bytes.append(contentsOf: "oe".utf8)
            return  // œ Œ
        case 0x00F8, 0x00D8:
            bytes.append(UInt8(ascii: "o"))
            return  // ø Ø
        case 0x0142, 0x0141:
            bytes.append(UInt8(ascii: "l"))
            return  // ł Ł
        case 0x0111, 0x0110:
            bytes.append(UInt8(ascii: "d"))
            return  // đ Đ
        case 0x0131:
            bytes.append(UInt8(ascii: "i"))
            return  // ı
        default: break
        }
        let lowered = scalar.properties.lowercaseMapping
        for base in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            let category = base.properties.generalCategory
            if category == .nonspacingMark || category == .enclosingMark || category == .spacingMark { continue }
            if base.value < 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: base.value) | (base.properties.isAlphabetic ? 0x20 : 0))
            } else {
                bytes.append(contentsOf: String(base).utf8)
            }
        }
    }
}
