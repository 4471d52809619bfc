public import ConciergeYAML
import Foundation

/// A help article from `config/knowledge/*.md`: YAML-style front matter (`id`, `title`, `intents`, `language`)
/// followed by Markdown. Sections are the `## ` headings.
public struct KnowledgeArticle: Sendable, Hashable {
    public struct Section: Sendable, Hashable {
        public var heading: String
        /// The section's text with Markdown emphasis and list markers removed.
        public var text: String
    }

    public var id: String
    public var title: String
    public var intents: [String]
    public var language: String
    /// The text before the first `## ` heading (without the `# ` title line).
    public var lead: String
    public var sections: [Section]

    /// How errors name these files (``ConfigurationFileError/configuration``).
    public static let configuration = "knowledge base"

    /// Parses an article; `file` names it in errors. The front matter is the small subset of YAML the knowledge base
    /// uses: `key: value` lines and inline lists `[a, b]`.
    ///
    /// - Throws: ``ConfigurationFileError`` when the file has no front matter (`unreadable`) or its front matter
    ///   lacks `id`, `title` or `language` (`missing_field`).
    public init(markdown: String, file: String = "") throws(ConfigurationFileError) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else {
            throw ConfigurationFileError(
                .unreadable, configuration: Self.configuration, file: file, "no front matter (--- … ---)")
        }
        var fields: [String: String] = [:]
        for line in lines[1..<end] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
        }
        guard let id = fields["id"], !id.isEmpty, let title = fields["title"], let language = fields["language"] else {
            throw ConfigurationFileError(
                .missingField, configuration: Self.configuration, file: file,
                "front matter needs id, title and language")
        }
        self.id = id
        self.title = title
        self.language = language
        self.intents = (fields["intents"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

        var lead: [String] = []
        var sections: [Section] = []
        var heading: String?
        var body: [String] = []
        func flush() {
            if let heading { sections.append(Section(heading: heading, text: Self.plain(body))) } else { lead = body }
            body = []
        }
        for line in lines[(end + 1)...] {
            if line.hasPrefix("## ") {
                flush()
                heading = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("# ") {
                continue
            } else {
                body.append(line)
            }
        }
        flush()
        self.lead = Self.plain(lead)
        self.sections = sections
    }

    /// Markdown lines as plain text: emphasis and list markers dropped, paragraphs joined with blank lines.
    static func plain(_ lines: [String]) -> String {
        var paragraphs: [String] = []
        var current: [String] = []
        for raw in lines {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") { line = "• " + line.dropFirst(2) }
            line = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
            if line.hasPrefix("|") {
                line = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "-" || $0 == ":" } }.joined(separator: " – ")
                if line.isEmpty { continue }
            }
            if line.hasPrefix("• ") || line.first?.isNumber == true {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = [line]
                paragraphs.append(current.joined(separator: " "))
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs.joined(separator: "\n")
    }
}
