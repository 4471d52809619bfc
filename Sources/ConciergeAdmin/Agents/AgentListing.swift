public import ConciergePostgres
import Foundation

/// `conciergectl agents list`: agents with status, presence, load, rating and assignments, one line each.
public struct AgentListing: Sendable, Equatable {
    public struct Agent: Sendable, Equatable {
        public var agentID: String
        public var status: String
        public var presence: String
        public var activeConversations: Int
        public var capacity: Int
        public var ratings: Int
        /// Mean rating with two decimals, `-` when unrated.
        public var csat: String
        public var assignments: Int
        public var languages: String
        public var skills: String
    }

    public var agents: [Agent]

    public init(agents: [Agent]) { self.agents = agents }

    /// The first `limit` agents by id.
    public static func load(limit: Int, on database: PostgresConnection) async throws -> AgentListing {
        let rows = try await database.query(
            """
            SELECT agent_id, status, presence, active_conversations, capacity, rating_count,
                   CASE WHEN rating_count = 0 THEN '-' ELSE to_char(rating_sum::numeric / rating_count, 'FM0.00') END AS csat,
                   assignments_total, array_to_string(languages, ',') AS languages, array_to_string(skills, ',') AS skills
            FROM agents ORDER BY agent_id LIMIT $1
            """,
            [limit]
        )
        return AgentListing(
            agents: try rows.map { row in
                Agent(
                    agentID: try row.decode(named: "agent_id"), status: try row.decode(named: "status"),
                    presence: try row.decode(named: "presence"),
                    activeConversations: try row.decode(named: "active_conversations"),
                    capacity: try row.decode(named: "capacity"),
                    ratings: try row.decode(named: "rating_count"), csat: try row.decode(named: "csat"),
                    assignments: try row.decode(named: "assignments_total"),
                    languages: try row.decode(named: "languages"),
                    skills: try row.decode(named: "skills")
                )
            }
        )
    }

    /// A header, then one line per agent.
    public func lines() -> [String] {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        return ["agent                      status     presence load  ratings  csat  assignments  languages  skills"]
            + self.agents.map { agent in
                "\(pad(agent.agentID, 26)) \(pad(agent.status, 10)) \(pad(agent.presence, 8)) \(agent.activeConversations)/\(agent.capacity)   "
                    + "\(pad(String(agent.ratings), 8)) \(pad(agent.csat, 5)) \(pad(String(agent.assignments), 12)) \(pad(agent.languages, 10)) \(agent.skills)"
            }
    }
}
