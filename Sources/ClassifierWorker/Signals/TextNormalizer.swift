import Foundation

/// Lowercase, letters and digits only (diacritics folded), single spaces. Shared by the signal detectors.
enum TextNormalizer {
    static func normalize(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for character in text.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
            if character.isLetter || character.isNumber || character == "'" {
                if character != "'" { output.append(character) }
                lastWasSpace = false
            } else if !lastWasSpace {
                output.append(" ")
                lastWasSpace = true
            }
        }
        if output.hasSuffix(" ") { output.removeLast() }
        return output
    }
}
