import Foundation
import Histogram

/// What one `bench pipeline` run measured, as the lines it prints: publishing, outcomes end to end, outcomes by kind,
/// and latency percentiles for the AI lane and for everything else.
struct PipelineFigures {
    var planned: Int
    var published: Int
    var publishSeconds: Double
    var outcomes: Int
    var outcomeSeconds: Double
    /// Outcomes by schema (`reply.v1`, `handoff.v1`, …).
    var kinds: [String: Int]
    /// Inquiry → reply, microseconds.
    var ai: Histogram<UInt64>
    /// Inquiry → handoff, offer or human-lane notice, microseconds.
    var other: Histogram<UInt64>

    func lines() -> [String] {
        func line(_ name: String, _ histogram: Histogram<UInt64>) -> String {
            guard histogram.totalCount > 0 else { return "\(name): none" }
            return "\(name): \(histogram.totalCount) — \(BenchSupport.percentiles(histogram, digits: 1))"
        }
        var lines = [
            String(
                format: "published:   %d of %d in %.2f s (%.0f/s)", self.published, self.planned, self.publishSeconds,
                Double(self.published) / self.publishSeconds)
        ]
        if self.outcomes == 0 {
            lines.append("outcomes:    0 of \(self.published)")
        } else {
            lines.append(
                String(
                    format: "outcomes:    %d of %d in %.2f s — %.0f inquiries/s end to end", self.outcomes,
                    self.published, self.outcomeSeconds,
                    Double(self.outcomes) / self.outcomeSeconds
                )
            )
        }
        lines.append(
            "by kind:     \(self.kinds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        )
        lines.append(line("AI lane (inquiry → reply)", self.ai))
        lines.append(line("other (inquiry → handoff, offer or human-lane notice)", self.other))
        return lines
    }
}
