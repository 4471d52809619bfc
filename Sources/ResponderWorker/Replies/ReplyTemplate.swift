/// A sentence with named placeholders (`Your payment of {amount} was received.`), parsed once when the language file
/// is loaded. Rendering substitutes each placeholder once, left to right: a value that itself contains braces (a shop
/// called "{date}") is written as it is, never read as a placeholder.
public struct ReplyTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    let segments: [Segment]

    init(segments: [Segment]) {
        self.segments = segments
    }

    /// The placeholder names the text uses.
    public var placeholders: Set<String> {
        Set(self.segments.compactMap { if case .placeholder(let name) = $0 { name } else { nil } })
    }

    /// Why a text is not a template: an unclosed `{`, a `}` without its `{`, or a name that is not lower-case
    /// letters, digits and `_`.
    public struct SyntaxError: Error, Hashable, CustomStringConvertible {
        public var detail: String
        public var description: String { self.detail }
    }

    /// Parses `text`; braces are only ever placeholders (`{name}`, name in `[a-z0-9_]`).
    public init(_ text: String) throws(SyntaxError) {
        var segments: [Segment] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "}" { throw SyntaxError(detail: "'}' without '{' in \"\(text)\"") }
            guard character == "{" else {
                literal.append(character)
                index = text.index(after: index)
                continue
            }
            guard let close = text[index...].firstIndex(of: "}") else {
                throw SyntaxError(detail: "'{' without '}' in \"\(text)\"")
            }
            let name = String(text[text.index(after: index)..<close])
            guard !name.isEmpty,
                name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else {
                throw SyntaxError(
                    detail: "'{\(name)}' is not a placeholder name (lower-case letters, digits, _) in \"\(text)\"")
            }
            if !literal.isEmpty { segments.append(.text(literal)) }
            literal = ""
            segments.append(.placeholder(name))
            index = text.index(after: close)
        }
        if !literal.isEmpty { segments.append(.text(literal)) }
        self.segments = segments
    }

    /// The text with every placeholder replaced by its value. A value missing from `values` is a programming error
    /// (the code fills every placeholder `ReplyKey.placeholders` allows): it stops a debug build and is left empty in
    /// a release build.
    public func render(_ values: [String: String]) -> String {
        var text = ""
        for segment in self.segments {
            switch segment {
            case .text(let literal): text += literal
            case .placeholder(let name):
                guard let value = values[name] else {
                    assertionFailure("no value for {\(name)}")
                    continue
                }
                text += value
            }
        }
        return text
    }
}
