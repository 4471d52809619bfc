import ConciergeAdmin
import ConciergePostgres
import ConciergeRuntime
import ConciergeSchema
import ConciergeTesting
import Foundation
import Logging
import Testing

/// `agents list` against the real database: each column decoded by name, rated and unrated agents.
@Suite(.enabled(if: TestServices.enabled))
struct AgentListingTests {
    @Test func anAgentsLineShowsLoadRatingAndSkills() async throws {
        let logger = Logger(label: "test.agent-listing")
        let database = try await PostgresConnection.connect(
            configuration: try PostgresConfiguration(url: TestServices.postgresURL), logger: logger)
        try await Migrator.fleet().migrate(database, logger: logger)
        let id = TestServices.uniqueName("listed")
        _ = try await database.query(
            "INSERT INTO customers (customer_id, display_name) VALUES ($1, 'Listed')", ["cus-\(id)"])
        _ = try await database.query(
            """
            INSERT INTO agents (agent_id, customer_id, status, status_reason, market, languages, skills, capacity, rating_sum, rating_count,
                assignments_total)
            VALUES ($1, $2, 'active', 'test', 'EU', '{en,de}', '{general,payments}', 3, 14, 3, 9)
            """,
            [id, "cus-\(id)"]
        )
        let listing = try await AgentListing.load(limit: 1_000_000, on: database)
        await database.close()
        let agent = try #require(listing.agents.first { $0.agentID == id })
        #expect(agent.csat == "4.67")
        #expect(agent.ratings == 3)
        #expect(agent.capacity == 3)
        #expect(agent.activeConversations == 0)
        #expect(agent.presence == "offline")
        #expect(agent.languages == "en,de")
        let line = try #require(AgentListing(agents: [agent]).lines().last)
        #expect(
            line.hasPrefix(
                id.padding(toLength: 26, withPad: " ", startingAt: 0) + " active     offline  0/3   3        4.67  9"))
        #expect(line.hasSuffix(" en,de      general,payments"))
    }
}
