import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// The printable statement page in a real headless Chromium (Debian's): the browser parses it with a name that
/// tries to inject a script, prints it to PDF and takes a phone-sized screenshot (saved under
/// `.build/test-screenshots/payouts/`, or `CONCIERGE_SCREENSHOT_DIR`).
@Suite(.enabled(if: TestServices.enabled))
struct StatementPageBrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// Runs headless Chromium with `arguments`; returns its standard output (its log goes to standard error).
    func chromium(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        process.arguments =
            ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func statementPageRendersPrintsAndKeepsAScriptAsText() async throws {
        try await PayoutTestDatabase.with { db in
            try await db.session("uk-1", "UK", "2025-03-10T09:00:00Z", "2025-03-10T11:00:00Z")
            try await db.apply(
                [
                    Events.resolved(
                        "p1", agent: "uk-1", complexity: "routine", vip: true, surge: 12500, market: "UK",
                        at: "2025-03-10T10:00:00Z"),
                    Events.resolved("p2", agent: "uk-1", market: "UK", at: "2025-03-10T10:30:00Z"),
                ], handler: TimeRateCards.handler())
            try await db.connection.query(
                "UPDATE payout_agents SET display_name = $1 WHERE agent_id = 'uk-1'",
                ["<script>document.title='owned'</script>Ada"])
            try await db.close("2025-03", book: TimeRateCards.book)
            let html = try await db.connection.transaction {
                try StatementPage.html(period: try PayPeriod(id: "2025-03"), agentID: "uk-1", in: $0)
            }

            let folder = URL(
                fileURLWithPath: ProcessInfo.processInfo.environment["CONCIERGE_SCREENSHOT_DIR"]
                    ?? RemittanceTests.root.appendingPathComponent(".build/test-screenshots/payouts").path)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let page = folder.appendingPathComponent("statement-2025-03.html")
            try html.write(to: page, atomically: true, encoding: .utf8)

            // The DOM as the browser built it: three lines (two resolutions, one guarantee top-up), no script element,
            // the injected markup shown as text, the title untouched.
            let (status, dom) = try self.chromium(["--dump-dom", page.absoluteString])
            #expect(status == 0)
            #expect(dom.components(separatedBy: "<tr>").count - 1 == 1 + 3, "\(dom.prefix(400))")
            #expect(!dom.contains("<script"), "a name never becomes a script")
            #expect(dom.contains("&lt;script&gt;document.title='owned'&lt;/script&gt;Ada"))
            #expect(dom.contains("<title>Statement 2025-03 — &lt;script&gt;") && !dom.contains("owned</title>"))
            #expect(
                dom.contains("guarantee_topup") && dom.contains("120 min online")
                    && dom.contains("guarantee 12.50/h = 25.00"))

            let pdf = folder.appendingPathComponent("statement-2025-03.pdf")
            try? FileManager.default.removeItem(at: pdf)
            _ = try self.chromium(["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", page.absoluteString])
            let bytes = try Data(contentsOf: pdf)
            #expect(bytes.starts(with: Array("%PDF-".utf8)) && bytes.count > 5_000)

            let png = folder.appendingPathComponent("statement-2025-03-phone.png")
            try? FileManager.default.removeItem(at: png)
            _ = try self.chromium(["--screenshot=\(png.path)", "--window-size=420,860", page.absoluteString])
            #expect(try Data(contentsOf: png).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
