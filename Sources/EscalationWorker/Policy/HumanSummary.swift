public import ConciergeCore

/// What an agent reads before and after accepting: why the conversation came to a person, in a few plain sentences,
/// for every human route (asked for a person, sensitive, VIP, distress, AI handoff, …), the customer's sentiment and a
/// one-line preview of their first message. Pure: built from the routed inquiry alone.
public struct HumanSummary: Sendable, Hashable {
    public static let previewLength = 140

    public var text: String
    /// `calm`, `upset` or `distressed`.
    public var sentiment: String
    public var handoffReason: String?
    public var preview: String

    public init(routed: RoutedInquiryV1) {
        let decision = routed.decision
        var sentences: [String] = []
        var sentiment = "calm"
        for reason in decision.reasons {
            let (kind, value) = Self.split(reason)
            switch kind {
            case "asked_for_human": sentences.append("The customer asked for a person.")
            case "vip": sentences.append("VIP customer.")
            case "sensitive": sentences.append("Sensitive topic (\(value ?? "topic")).")
            case "distress":
                if value == "severe" {
                    sentiment = "distressed"
                    sentences.append("The customer seems to be in serious distress: answer with care.")
                } else {
                    if sentiment == "calm" { sentiment = "upset" }
                    sentences.append("The customer sounds upset.")
                }
            case "intent": if let value, decision.route != .ai { sentences.append("Needs a person for \(value).") }
            case "low_confidence", "unknown_guard": sentences.append("The AI could not tell what this is about.")
            case "out_of_scope": sentences.append("Looks like something Concierge Pay does not answer (out of scope).")
            case "language":
                sentences.append("Written in \(value ?? "another language"), which the AI does not answer.")
            case "repeat_contact":
                sentences.append("The customer came back about the same thing from another conversation.")
            case "human_lane", "assigned_agent": sentences.append("Follow-up in a conversation already with a person.")
            case "handoff": sentences.append("The AI handed it over (\(value ?? "handoff")).")
            default: break
            }
        }
        if let intent = decision.intent, !sentences.contains(where: { $0.contains(intent) }) {
            sentences.append("Intent: \(intent).")
        }
        if let handoff = routed.handoff, !handoff.summary.isEmpty {
            sentences.append(handoff.summary)
        }
        var unique: [String] = []
        for sentence in sentences where !unique.contains(sentence) { unique.append(sentence) }
        self.text = unique.joined(separator: " ")
        self.sentiment = sentiment
        self.handoffReason = routed.handoff?.reason
        self.preview = Self.preview(routed.inquiry.text)
    }

    /// The text on one line, whitespace collapsed, cut at `previewLength` characters with an ellipsis.
    public static func preview(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard line.count > self.previewLength else { return line }
        return String(line.prefix(self.previewLength - 1)) + "…"
    }

    static func split(_ reason: String) -> (String, String?) {
        guard let colon = reason.firstIndex(of: ":") else { return (reason, nil) }
        return (String(reason[..<colon]), String(reason[reason.index(after: colon)...]))
    }
}
