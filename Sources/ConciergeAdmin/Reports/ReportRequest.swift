public import ConciergePostgres
import ConciergeReports
public import Foundation

/// `conciergectl report`: what the fleet did in a window of time, as text (outcomes, then routes, VIP handling and
/// agent earnings), as JSON with stable keys or as Prometheus gauges (the outcome figures only).
public struct ReportRequest: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        case text
        case json
        case prometheus
    }

    /// Conversations started at or after this time (nil: all).
    public var since: Date?
    /// Conversations started before this time (nil: the report's time).
    public var until: Date?
    /// How long after the AI's answer a repeat, a request for a person or a hand-off undoes a resolution.
    public var window: Duration
    public var format: Format

    public init(since: Date? = nil, until: Date? = nil, window: Duration = .seconds(24 * 3600), format: Format = .text)
    {
        self.since = since
        self.until = until
        self.window = window
        self.format = format
    }

    /// An ISO 8601 time (`2026-12-01T00:00:00Z`, with or without fractional seconds) or day (`2026-12-01`, UTC).
    public static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    /// The report as of `now`, ready to write to standard output (ending in a line break).
    public func output(on database: PostgresConnection, now: Date = Date()) async throws -> String {
        let until = self.until ?? now
        let since = self.since ?? Date(timeIntervalSince1970: 0)
        let outcomes = try await ConversationOutcomes.fetch(
            database, since: since, until: until, window: self.window, asOf: now)
        let report = OutcomeReport(outcomes: outcomes, since: since, until: until, asOf: now, window: self.window)
        switch self.format {
        case .json: return try report.json() + "\n"
        case .prometheus: return report.prometheus()
        case .text:
            let lines = report.text() + (try await FleetReport.load(database).lines())
            return lines.map { $0 + "\n" }.joined()
        }
    }
}
