/// The languages the responder writes. Any other inquiry language is answered in English.
public enum ReplyLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    case en
    case de

    /// The reply language for an inquiry language code (`de` → German, anything else → English).
    public init(code: String) {
        self = code == "de" ? .de : .en
    }
}
