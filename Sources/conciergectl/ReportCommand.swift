import ArgumentParser
import ConciergePostgres
import ConciergeRuntime

/// What the fleet did, from PostgreSQL: inquiries by route, the reasons that sent them to humans, intents.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise what the fleet did (routing decisions, reasons, intents)."
    )

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-report"), logger: context.logger
        )
        let total = try await database.query("SELECT count(*) FROM routing_decisions").first!.decode(Int.self, at: 0)
        print("inquiries classified: \(total)")
        print("by route:")
        for row in try await database.query("SELECT route, priority, count(*) FROM routing_decisions GROUP BY 1, 2 ORDER BY 1, 2") {
            print("  \(try row.decode(String.self, at: 0)) / \(try row.decode(String.self, at: 1)): \(try row.decode(Int.self, at: 2))")
        }
        print("reasons for human routing:")
        for row in try await database.query(
            """
            SELECT split_part(reason, ':', 1) AS kind, count(*) FROM routing_decisions, unnest(reasons) AS reason
            WHERE route <> 'ai' GROUP BY 1 ORDER BY 2 DESC
            """
        ) {
            print("  \(try row.decode(String.self, at: 0)): \(try row.decode(Int.self, at: 1))")
        }
        print("top intents:")
        for row in try await database.query(
            "SELECT coalesce(intent, '(unknown)'), count(*) FROM routing_decisions GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"
        ) {
            print("  \(try row.decode(String.self, at: 0)): \(try row.decode(Int.self, at: 1))")
        }
        await database.close()
    }
}
