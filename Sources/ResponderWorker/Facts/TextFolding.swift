import Foundation

/// Lower-cases, strips diacritics and splits text into alphanumeric tokens; shared by the purchase matcher, the
/// dissatisfaction detector and the knowledge search.
enum TextFolding {
    /// Built once: `CharacterSet.alphanumerics` is computed anew on every access.
    private static let alphanumerics = CharacterSet.alphanumerics

    /// Lower-case text without diacritics (`Rückerstattung` → `ruckerstattung`, `ß` → `ss`).
    static func fold(_ text: String) -> String {
        text.replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    /// Alphanumeric runs of the folded text.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for scalar in self.fold(text).unicodeScalars {
            if Self.alphanumerics.contains(scalar) {
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
}
