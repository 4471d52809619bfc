import AgentCredentials
import AgentGateway
import ConciergePostgres
import ConciergeTesting
import Foundation
import HTTPTypes
import InMemoryLogging
import Testing

/// Sign-in, lock-out, expiry and sign-out against a real gateway, PostgreSQL and RabbitMQ.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct SignInTests {
    @Test func signInOpensTheConsoleAndSignOutEndsTheSession() async throws {
        let world = try await GatewayWorld.make("signin")
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (agent, password) = try await world.agent("sam")
        let anonymous = GatewayClient(port: port)

        let bounced = try await anonymous.get("/")
        #expect(bounced.status == .seeOther && bounced.headers[.location] == "/signin")
        let form = try await anonymous.get("/signin")
        #expect(form.status == .ok && form.body.contains("<label for=\"password\">"))
        #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)

        let signedIn = try await anonymous.signIn(agent, password)
        let console = try await signedIn.get("/")
        #expect(console.status == .ok)
        #expect(console.body.contains("data-agent=\"\(agent)\""))
        let earnings = try await signedIn.get("/earnings")
        #expect(earnings.status == .ok && earnings.body.contains("No earnings yet"))
        // The cookie is HttpOnly and SameSite=Strict; the database holds only the token's hash.
        let raw = try await anonymous.post("/signin", form: ["agent_id": agent, "password": password])
        let cookie = try #require(raw.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        let stored = try await world.database.query("SELECT count(*) FROM agent_sessions WHERE agent_id = $1", [agent])[
            0
        ].decode(Int.self, named: "count")
        #expect(stored == 2)
        let plain = try await world.database.query(
            "SELECT count(*) FROM agent_sessions WHERE encode(token_sha256, 'hex') = $1", [signedIn.cookie ?? ""]
        )[0].decode(Int.self, named: "count")
        #expect(plain == 0)

        let out = try await signedIn.post("/signout", form: [:])
        #expect(out.status == .seeOther && out.headers[.location] == "/signin")
        #expect(try await signedIn.get("/").status == .seeOther)
        // Passwords never reach the logs.
        #expect(!world.logStore.entries.contains { "\($0.message) \($0.metadata)".contains(password) })

        await world.tearDown([task])
    }

    @Test func wrongPasswordsAreRefusedAndManyLockTheAgentOutOnEveryReplica() async throws {
        let world = try await GatewayWorld.make("lockout")
        let (first, firstTask, firstPort) = try await world.startGateway("a")
        let (second, secondTask, secondPort) = try await world.startGateway("b")
        defer { _ = (first, second) }
        let (agent, password) = try await world.agent("kim")
        let a = GatewayClient(port: firstPort)
        let b = GatewayClient(port: secondPort)

        let unknown = try await a.post("/signin", form: ["agent_id": "nobody-\(world.id)", "password": "x"])
        #expect(unknown.status == .unauthorized && unknown.body.contains("Wrong agent id or password."))
        for attempt in 1...5 {
            // Alternate replicas: the count is in the database, not in one replica's memory.
            let page = try await (attempt.isMultiple(of: 2) ? b : a).post(
                "/signin", form: ["agent_id": agent, "password": "wrong-\(attempt)"])
            #expect(page.status == .unauthorized, "attempt \(attempt)")
            #expect(page.headers[.setCookie] == nil)
        }
        // Locked: even the right password is not checked now, on either replica.
        for client in [a, b] {
            let locked = try await client.post("/signin", form: ["agent_id": agent, "password": password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            #expect(locked.body.contains("Too many wrong passwords"))
        }
        // After the lock-out, the right password works and resets the count.
        try await world.database.query(
            "UPDATE agent_credentials SET locked_until = now() - interval '1 second' WHERE agent_id = $1", [agent])
        _ = try await b.signIn(agent, password)
        let failures = try await world.database.query(
            "SELECT failed_attempts FROM agent_credentials WHERE agent_id = $1", [agent])[0]
            .decode(Int.self, named: "failed_attempts")
        #expect(failures == 0)
        // A new password (conciergectl agents credentials) ends every session.
        let signedIn = try await a.signIn(agent, password)
        let newPassword = try await AgentCredentialStore(database: world.database, hasher: PasswordHasher(cost: 4))
            .issue(agentID: agent)
        #expect(newPassword != password)
        #expect(try await signedIn.get("/").status == .seeOther)
        #expect(try await a.post("/signin", form: ["agent_id": agent, "password": password]).status == .unauthorized)
        _ = try await a.signIn(agent, newPassword)

        await world.tearDown([firstTask, secondTask])
    }

    @Test func expiredSessionIsSignedOutForPagesAndWebSocket() async throws {
        let world = try await GatewayWorld.make("expiry")
        let (gateway, task, port) = try await world.startGateway("a")
        defer { _ = gateway }
        let (agent, password) = try await world.agent("lee")
        let client = try await GatewayClient(port: port).signIn(agent, password)
        let tab = try await client.tab(logger: world.logger)
        // A page of another site cannot open the agent's WebSocket with the agent's cookie.
        await #expect(throws: (any Error).self) {
            _ = try await client.tab(logger: world.logger, origin: "https://evil.example")
        }
        await tab.close()
        try await world.database.query(
            "UPDATE agent_sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE agent_id = $1",
            [agent]
        )
        #expect(try await client.get("/").status == .seeOther)
        #expect(try await client.get("/earnings").status == .seeOther)
        await #expect(throws: (any Error).self) { _ = try await client.tab(logger: world.logger) }
        // A junk cookie is no session either.
        var junk = client
        junk.cookie = "<script>"
        #expect(try await junk.get("/").status == .seeOther)
        await world.tearDown([task])
    }

    @Test func credentialsNeedAKnownAgent() async throws {
        let world = try await GatewayWorld.make("credentials")
        let store = AgentCredentialStore(database: world.database, hasher: PasswordHasher(cost: 4))
        await #expect(throws: CredentialError.self) { _ = try await store.issue(agentID: "missing-\(world.id)") }
        await #expect(throws: CredentialError.self) { _ = try await store.issue(agentID: "has.dot") }
        let (agent, password) = try await world.agent("ana")
        let hash = try await world.database.query(
            "SELECT password_hash FROM agent_credentials WHERE agent_id = $1", [agent])[0]
            .decode(String.self, named: "password_hash")
        #expect(hash.hasPrefix("$2") && !hash.contains(password))
        await world.tearDown([])
    }
}
