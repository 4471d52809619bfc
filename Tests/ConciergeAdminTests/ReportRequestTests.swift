import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// `conciergectl report`'s times, and its three outputs from the real database.
@Suite struct ReportRequestTimeTests {
    @Test(arguments: [
        ("2026-12-01T10:30:00Z", 1_796_121_000.0), ("2026-12-01T10:30:00.250Z", 1_796_121_000.25),
        ("2026-12-01", 1_796_083_200.0), ("2026-12-01T12:30:00+02:00", 1_796_121_000.0),
    ])
    func isoTimesAndDays(text: String, seconds: Double) {
        #expect(ReportRequest.parseTime(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "", "1764585000"])
    func anythingElseIsNoTime(text: String) {
        #expect(ReportRequest.parseTime(text) == nil)
    }
}

@Suite(.enabled(if: TestServices.enabled))
struct ReportRequestTests {
    @Test func textJSONAndPrometheusEachEndInALineBreak() async throws {
        let logger = Logger(label: "test.report-request")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        // A window in the future: no conversation of the shared database falls in it.
        let since = Date(timeIntervalSinceNow: 10 * 365 * 86400)
        let outputs: [String]
        do {
            outputs = [
                try await ReportRequest(since: since, format: .json).output(on: database),
                try await ReportRequest(since: since, format: .prometheus).output(on: database),
                try await ReportRequest(since: since, format: .text).output(on: database),
            ]
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(outputs[0].utf8)) as? [String: Any])
        #expect(json["conversations"] != nil)
        #expect(outputs.allSatisfy { $0.hasSuffix("\n") && !$0.hasSuffix("\n\n") })
        #expect(outputs[1].split(separator: "\n").allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("concierge_") })
        #expect(!outputs[2].hasPrefix("{"))
        #expect(outputs[2].split(separator: "\n").count > 3)
    }
}
