import ArgumentParser
import ConciergeAdmin
import ConciergePostgres
import ConciergeReports
import ConciergeRuntime
import Foundation

/// What the fleet did, from PostgreSQL: conversations per lane and intent with their outcomes (an AI answer counts as
/// resolved only when the customer neither asked for a person, nor was handed off, nor came back about the same intent
/// within the window), automation and repeat-inquiry rates, hand-offs by reason, response and resolution times, CSAT,
/// the human lane's wait and SLA breaches; then routes, VIP handling and agent earnings.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise what the fleet did (outcomes per lane and intent, response times, VIPs, payouts).",
        discussion: """
            --json writes only the outcome figures, with stable keys (conversations, automation_rate, \
            ai_resolution_rate, repeat_inquiry_rate, handoffs_by_reason, first_response_ms, resolution_ms, \
            human_wait_ms, sla_breaches, csat, outcomes, by_intent); --prometheus the same figures as Prometheus gauges.
            """
    )

    @Option(help: "Conversations started at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00Z). Default: all.")
    var since: String?

    @Option(help: "Conversations started before this time (ISO 8601). Default: now.")
    var until: String?

    @Option(
        help:
            "Seconds after the AI's answer within which a repeat, a request for a person or a hand-off undoes a resolution."
    )
    var windowSeconds: Int = 24 * 3600

    @Flag(help: "Print the outcome figures as JSON with stable keys.")
    var json = false

    @Flag(help: "Print the outcome figures as Prometheus gauges (text exposition format).")
    var prometheus = false

    func validate() throws {
        if let since, ReportRequest.parseTime(since) == nil {
            throw ValidationError("--since '\(since)' is not an ISO 8601 time")
        }
        if let until, ReportRequest.parseTime(until) == nil {
            throw ValidationError("--until '\(until)' is not an ISO 8601 time")
        }
        guard self.windowSeconds > 0 else { throw ValidationError("--window-seconds must be positive") }
        guard !(self.json && self.prometheus) else { throw ValidationError("choose one of --json and --prometheus") }
    }

    func run() async throws {
        let context = try await CommandContext.make()
        let request = ReportRequest(
            since: self.since.flatMap(ReportRequest.parseTime), until: self.until.flatMap(ReportRequest.parseTime),
            window: .seconds(self.windowSeconds), format: self.json ? .json : self.prometheus ? .prometheus : .text)
        print(try await context.withDatabase("report") { try await request.output(on: $0) }, terminator: "")
    }
}
