/// What one `bench pipeline` run saw, and its verdict. The benchmark passes only when the broker confirmed every
/// inquiry it was to publish and every one of them got an outcome; anything else exits non-zero. Pure, so the
/// judgement is tested without a fleet (`BenchPhaseResultTests`).
public struct BenchPhaseResult: Equatable, Sendable {
    /// Inquiries the run was to publish (`--messages`).
    public var planned: Int
    /// Inquiries the broker confirmed.
    public var published: Int
    /// Why publishing stopped before `planned` (nil when it did not).
    public var publishingError: String?
    /// Distinct inquiries of this run (its run id in their conversation) with an outcome.
    public var outcomes: Int
    /// This run's messages that reached the dead-letter exchange, by reason.
    public var deadLettered: [String: Int] = [:]

    public init(
        planned: Int, published: Int, publishingError: String? = nil, outcomes: Int, deadLettered: [String: Int] = [:]
    ) {
        self.planned = planned
        self.published = published
        self.publishingError = publishingError
        self.outcomes = outcomes
        self.deadLettered = deadLettered
    }

    public enum Verdict: Equatable, Sendable {
        case passed
        /// The broker did not confirm every inquiry: the figures are not of the planned load.
        case publishingFailed(published: Int, planned: Int)
        /// Published inquiries without an outcome (all of them when none arrived at all).
        case lostOutcomes(missing: Int, published: Int)
    }

    public var verdict: Verdict {
        if self.publishingError != nil || self.published < self.planned {
            return .publishingFailed(published: self.published, planned: self.planned)
        }
        if self.outcomes < self.published {
            return .lostOutcomes(missing: self.published - self.outcomes, published: self.published)
        }
        return .passed
    }

    /// 0 passed, 2 outcomes lost, 4 publishing failed (3 is taken by "the fleet is not ready", checked before a run).
    public var exitCode: Int32 {
        switch self.verdict {
        case .passed: 0
        case .lostOutcomes: 2
        case .publishingFailed: 4
        }
    }

    /// The lines printed after the figures when the run failed; empty when it passed.
    public func failureReport(timeoutSeconds: Int, fleet: String) -> [String] {
        var lines: [String]
        switch self.verdict {
        case .passed:
            return []
        case .publishingFailed(let published, let planned):
            lines = [
                "FAILED: publishing stopped after \(published) of \(planned) inquiries were confirmed: \(self.publishingError ?? "unknown error")"
            ]
            if self.outcomes < published {
                lines.append("  and \(published - self.outcomes) of the \(published) confirmed got no outcome")
            }
        case .lostOutcomes(let missing, let published):
            let none = missing == published ? " (none arrived at all)" : ""
            lines = [
                "FAILED: \(missing) of \(published) published inquiries got no outcome within \(timeoutSeconds) s of the last publish\(none)"
            ]
        }
        let total = self.deadLettered.values.reduce(0, +)
        let reasons = self.deadLettered.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
            separator: " ")
        lines.append("  dead-lettered messages of this run: \(total)\(reasons.isEmpty ? "" : " (\(reasons))")")
        lines.append("  fleet now: \(fleet)")
        return lines
    }
}
