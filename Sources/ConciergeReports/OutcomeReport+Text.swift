import Foundation

extension OutcomeReport {
    /// The report as people read it: per lane, then per intent.
    public func text() -> [String] {
        func percent(_ rate: Double?) -> String {
            guard let rate else { return "–" }
            return String(format: "%.1f %%", rate * 100)
        }
        func time(_ milliseconds: Int64?) -> String {
            guard let milliseconds else { return "–" }
            return milliseconds < 1000 ? "\(milliseconds) ms" : String(format: "%.1f s", Double(milliseconds) / 1000)
        }
        func spread(_ p: OutcomeFigures.Percentiles) -> String {
            p.count == 0 ? "none" : "p50 \(time(p.p50))  p90 \(time(p.p90))  (\(p.count))"
        }
        let figures = self.all
        let hours = Double(self.window.components.seconds) / 3600
        var lines = [
            "conversations:        \(figures.total) — AI lane \(figures.conversations[.ai] ?? 0), human lane \(figures.conversations[.human] ?? 0)",
            "outcome window:       \(hours >= 1 ? String(format: "%g h", hours) : "\(self.window.components.seconds) s") after the AI's answer",
            "automation rate:      \(percent(figures.automationRate)) (\(figures.aiAnswered) answered by the AI)",
            "AI resolution rate:   \(percent(figures.aiResolutionRate)) — resolved \(figures.outcomes[.resolved] ?? 0), "
                + "pending \(figures.outcomes[.pending] ?? 0), came back \(figures.outcomes[.repeat] ?? 0), "
                + "handed off \(figures.outcomes[.handedOff] ?? 0), unanswered \(figures.outcomes[.unanswered] ?? 0)",
            "repeat inquiries:     AI lane \(percent(figures.repeatInquiryRate[.ai] ?? nil)), human lane \(percent(figures.repeatInquiryRate[.human] ?? nil))",
            "first response:       AI lane \(spread(figures.firstResponse[.ai] ?? .init([]))); human lane \(spread(figures.firstResponse[.human] ?? .init([])))",
            "time to resolution:   AI lane \(spread(figures.resolution[.ai] ?? .init([]))); human lane \(spread(figures.resolution[.human] ?? .init([])))",
            "human lane wait:      \(spread(figures.humanWait)), SLA breaches \(figures.slaBreaches)",
        ]
        let csat = figures.csat[.human] ?? .init(count: 0, average: nil)
        lines.append(
            "CSAT (human lane):    \(csat.average.map { String(format: "%.2f", $0) } ?? "–") from \(csat.count) ratings"
        )
        lines.append("hand-offs by reason:")
        for (reason, count) in figures.handoffsByReason.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append("  \(reason): \(count)")
        }
        lines.append("by intent (conversations AI/human, automation, AI resolution, repeat AI/human):")
        for (intent, f) in self.byIntent.sorted(by: { ($1.value.total, $0.key) < ($0.value.total, $1.key) }) {
            lines.append(
                "  \(intent): \(f.conversations[.ai] ?? 0)/\(f.conversations[.human] ?? 0), \(percent(f.automationRate)), "
                    + "\(percent(f.aiResolutionRate)), \(percent(f.repeatInquiryRate[.ai] ?? nil))/\(percent(f.repeatInquiryRate[.human] ?? nil))"
            )
        }
        return lines
    }
}
