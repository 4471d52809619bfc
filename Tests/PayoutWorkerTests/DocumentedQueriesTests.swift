import ConciergePostgres
import ConciergeTesting
import Foundation
import PayoutWorker
import Testing

/// Every query the accountants' documentation shows (docs/accountants.md and the README's "For accountants") runs as
/// `concierge_accountant` against the migrated schema: a view or column renamed or removed breaks this test, not an
/// accountant's month-end (the README's example selected a `display_name` that migration 0054 had removed).
@Suite(.enabled(if: TestServices.enabled))
struct DocumentedQueriesTests {
    /// The SELECT statements of every ```sql block in `markdown` (comment lines dropped; setup statements such as
    /// ALTER ROLE or GRANT left out).
    static func queries(in markdown: String) -> [String] {
        var statements: [String] = []
        var block: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if block == nil {
                if line.trimmingCharacters(in: .whitespaces) == "```sql" { block = [] }
            } else if line.trimmingCharacters(in: .whitespaces) == "```" {
                let code = (block ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(
                    separator: "\n")
                statements += code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    .filter { $0.uppercased().hasPrefix("SELECT") || $0.uppercased().hasPrefix("WITH") }
                block = nil
            } else {
                block?.append(line)
            }
        }
        return statements
    }

    @Test func everyDocumentedAccountantQueryRuns() async throws {
        let docs = try String(contentsOfFile: TestServices.repositoryFile("docs/accountants.md"), encoding: .utf8)
        let readme = try String(contentsOfFile: TestServices.repositoryFile("README.md"), encoding: .utf8)
        let section =
            readme.components(separatedBy: "## For accountants").dropFirst().first?.components(separatedBy: "\n## ")
            .first ?? ""
        let queries = Self.queries(in: docs) + Self.queries(in: section)
        #expect(queries.count >= 15, "\(queries.count) queries found")
        #expect(Self.queries(in: section).count >= 1, "the README's example")
        try await PayoutTestDatabase.with { db in
            try await db.connection.executeScript("GRANT concierge_accountant TO CURRENT_USER")
            for query in queries {
                do {
                    _ = try await db.connection.transaction { transaction in
                        try transaction.execute("SET LOCAL ROLE concierge_accountant")
                        return try transaction.query(query).count
                    }
                } catch {
                    Issue.record("documented query fails (\(error)): \(query)")
                }
            }
        }
    }
}
