/// How a workload ended at the responder: answers, clarifying questions and handoffs by reason.
public struct Resolution: Sendable, Hashable {
    public var answers = 0
    public var clarifications = 0
    /// Handoffs by reason (`HandoffReason`'s raw value).
    public var handoffs: [String: Int] = [:]

    public init(answers: Int = 0, clarifications: Int = 0, handoffs: [String: Int] = [:]) {
        self.answers = answers
        self.clarifications = clarifications
        self.handoffs = handoffs
    }

    /// Counts a reply of this kind (`answer`; anything else asks a clarifying question).
    mutating func count(reply kind: String) {
        if kind == "answer" { self.answers += 1 } else { self.clarifications += 1 }
    }

    public var total: Int { self.answers + self.clarifications + self.handoffs.values.reduce(0, +) }

    /// The figures under a title, shares in whole percent of the workload.
    public func lines(title: String) -> [String] {
        let total = max(1, self.total)
        let reasons = self.handoffs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return [
            "\(title):",
            "  answered:      \(self.answers) (\(self.answers * 100 / total) %)",
            "  clarification: \(self.clarifications) (\(self.clarifications * 100 / total) %)",
            "  handed off:    \(self.handoffs.values.reduce(0, +)) — \(reasons)",
        ]
    }
}
