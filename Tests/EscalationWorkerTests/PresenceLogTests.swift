import ConciergeCore
import ConciergePostgres
import ConciergeRuntime
import ConciergeTesting
import EscalationWorker
import Foundation
import Testing

/// The presence history hourly pay is counted from (`agent_presence_sessions`), written by ``PresenceLog`` from the
/// agent events and the heartbeat timeout, against the real broker and database.
@Suite(.serialized, .enabled(if: TestServices.enabled))
struct PresenceLogTests {
    /// (online_at, offline_at, market) of an agent's sessions, oldest first.
    func sessions(_ world: EscalationWorld, _ agent: String) async throws -> [(Date, Date?, String)] {
        try await world.database.query(
            "SELECT online_at, offline_at, market FROM agent_presence_sessions WHERE agent_id = $1 ORDER BY session_id",
            [agent]
        ).map {
            (
                try $0.decode(Date.self, named: "online_at"), try $0.decode(Date?.self, named: "offline_at"),
                try $0.decode(String.self, named: "market")
            )
        }
    }

    @Test func onlineHeartbeatsAndOfflineRecordOneSession() async throws {
        let world = try await EscalationWorld.make("presence-events")
        let tasks = world.startConsumers()
        do {
            let agent = try await world.enrollAgent("ana")
            try await world.online([agent])
            for _ in 0..<3 { try await world.send(agent, .heartbeat) }
            try await world.send(agent, .online)  // a second online while online opens nothing new
            try await world.send(agent, .offline)
            try await world.waitUntil("session closed") {
                try await self.sessions(world, agent).contains { $0.1 != nil }
            }
            let recorded = try await self.sessions(world, agent)
            #expect(recorded.count == 1)
            let session = try #require(recorded.first)
            #expect(session.2 == world.market)
            let offline = try #require(session.1)
            #expect(offline >= session.0)
            // Back online: a new session, the closed one stays as it was.
            try await world.online([agent])
            try await world.waitUntil("second session") { try await self.sessions(world, agent).count == 2 }
            let again = try await self.sessions(world, agent)
            #expect(again[0].1 == offline)
            #expect(again[1].1 == nil)
            #expect(again[1].0 >= offline)
        } catch {
            await world.tearDown(tasks)
            throw error
        }
        await world.tearDown(tasks)
    }

    @Test func silentAgentSessionEndsAtItsLastHeartbeat() async throws {
        let world = try await EscalationWorld.make("presence-timeout", heartbeatTimeoutMilliseconds: 60_000)
        let agent = try await world.enrollAgent("bo")
        // Online for 30 minutes, silent for the last 10 (the database clock throughout).
        try await world.database.query(
            "UPDATE agents SET presence = 'online', last_seen_at = now() - interval '10 minutes' WHERE agent_id = $1",
            [agent]
        )
        try await world.database.query(
            "INSERT INTO agent_presence_sessions (agent_id, market, online_at) VALUES ($1, $2, now() - interval '30 minutes')",
            [agent, world.market]
        )
        let dispatcher = Dispatcher(settings: world.settings, metrics: world.metrics)
        let (offline, _) = try await world.database.transaction { try dispatcher.takeSilentAgentsOffline(in: $0) }
        #expect(offline == 1)
        let rows = try await world.database.query(
            """
            SELECT s.offline_at = a.last_seen_at AS ends_at_last_seen,
                   extract(epoch FROM s.offline_at - s.online_at)::int AS seconds
            FROM agent_presence_sessions s JOIN agents a USING (agent_id) WHERE s.agent_id = $1
            """,
            [agent]
        )
        #expect(rows.count == 1)
        #expect(
            try rows[0].decode(Bool.self, named: "ends_at_last_seen"),
            "the session ends at the last heartbeat, not at the timeout")
        #expect(try rows[0].decode(Int.self, named: "seconds") == 20 * 60)
        await world.tearDown([])
    }

    @Test func racingOnlinesOpenOneSessionAndASessionEndsOnce() async throws {
        let world = try await EscalationWorld.make("presence-race")
        let agent = try await world.enrollAgent("cy")
        let second = try await PostgresConnection.connect(configuration: world.postgres, logger: world.logger)
        async let first: Void = world.database.transaction { try PresenceLog.cameOnline(agentID: agent, in: $0) }
        async let other: Void = second.transaction { try PresenceLog.cameOnline(agentID: agent, in: $0) }
        _ = try await (first, other)
        #expect(try await self.sessions(world, agent).count == 1)
        try await world.database.transaction { try PresenceLog.wentOffline(agentIDs: [agent], in: $0) }
        // nothing open: no-op
        try await world.database.transaction { try PresenceLog.wentOffline(agentIDs: [agent], in: $0) }
        let closed = try await self.sessions(world, agent)
        #expect(closed.count == 1 && closed[0].1 != nil)
        // The database refuses to move an end that is recorded.
        await #expect(throws: PostgresError.self) {
            try await world.database.query(
                "UPDATE agent_presence_sessions SET offline_at = now() + interval '1 hour' WHERE agent_id = $1", [agent]
            )
        }
        await second.close()
        // A paused agent online is not available: no session.
        let paused = try await world.enrollAgent("dee")
        _ = try await world.database.transaction {
            try AgentEnrollment.setStatus(agentID: paused, status: "paused", reason: "test", in: $0)
        }
        try await world.database.transaction { try PresenceLog.cameOnline(agentID: paused, in: $0) }
        #expect(try await self.sessions(world, paused).isEmpty)
        await world.tearDown([])
    }
}
