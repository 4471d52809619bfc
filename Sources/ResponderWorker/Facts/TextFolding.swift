import Foundation

/// Lower-cases, strips diacritics and splits text into alphanumeric tokens; shared by the purchase matcher, the
/// dissatisfaction detector and the knowledge search.
enum TextFolding {
    /// Built once: `CharacterSet.alphanumerics` is computed anew on every access.
    private static let alphanumerics = CharacterSet.alphanumerics

    /// Lower-case text without diacritics (`Rückerstattung` → `ruckerstattung`, `ß` → `ss`).
    static func fold(_ text: String) -> String {
        // Most texts (order references, shop names, English inquiries) are ASCII: lower-casing is all there is to do.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    /// Alphanumeric runs of the folded text.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for scalar in self.fold(text).unicodeScalars {
            let isAlphanumeric =
                scalar.isASCII
                ? (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar))
                : Self.alphanumerics.contains(scalar)
            if isAlphanumeric {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The tokens joined by single spaces with a space at either end, so `contains(" key ")` is a whole-word match.
    static func padded(_ text: String) -> String {
        self.padded(tokens: self.tokens(text))
    }

    static func padded(tokens: [String]) -> String {
        " " + tokens.joined(separator: " ") + " "
    }

    /// Whether padded text contains another padded text (whole words), compared as UTF-8 bytes. Written out because
    /// both alternatives are slower on this hot path: Foundation's `contains` is a locale-aware search, and the
    /// standard library's generic `utf8.firstRange(of:)` made the responder several times slower per message (README,
    /// "Measured figures").
    static func contains(_ padded: String, words needle: String) -> Bool {
        let haystack = padded.utf8
        let needle = needle.utf8
        guard !needle.isEmpty, needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
        var start = haystack.startIndex
        while let candidate = haystack[start...].firstIndex(of: first) {
            guard haystack.distance(from: candidate, to: haystack.endIndex) >= needle.count else { return false }
            if haystack[candidate...].starts(with: needle) { return true }
            start = haystack.index(after: candidate)
        }
        return false
    }
}
