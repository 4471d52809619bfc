import ConciergeCore
public import ConciergePostgres
import Foundation

/// Agents' passwords and sessions in `agent_credentials` and `agent_sessions` (migration 0040): issuing credentials,
/// signing in with a lock-out after repeated wrong passwords, looking up and ending sessions.
///
/// Passwords are kept only as bcrypt hashes, session tokens only as their SHA-256 (computed by PostgreSQL); neither
/// is ever logged. Every state (failure counts, lock-outs, sessions) is in the database, so any gateway replica
/// serves any agent.
public struct AgentCredentialStore: Sendable {
    public let database: PostgresConnection
    public let hasher: PasswordHasher
    public let policy: SignInPolicy

    public init(
        database: PostgresConnection, hasher: PasswordHasher = PasswordHasher(), policy: SignInPolicy = SignInPolicy()
    ) {
        self.database = database
        self.hasher = hasher
        self.policy = policy
    }

    /// Issues a new password for an existing agent (replacing any earlier one, clearing a lock-out and ending every
    /// session of the agent) and returns it. Show it once; it is not stored.
    public func issue(agentID: String) async throws -> String {
        do {
            try ContractRules.agentIdentifier(agentID, field: "agent_id")
        } catch {
            throw CredentialError(.invalidAgentID, agentID: agentID)
        }
        let password = SecretToken.password()
        let hash = await self.hasher.hash(password)
        let found = try await self.database.transaction { transaction in
            guard try transaction.query("SELECT 1 FROM agents WHERE agent_id = $1", [agentID]).count == 1 else {
                return false
            }
            try transaction.execute(
                """
                INSERT INTO agent_credentials (agent_id, password_hash) VALUES ($1, $2)
                ON CONFLICT (agent_id) DO UPDATE
                SET password_hash = EXCLUDED.password_hash, failed_attempts = 0, locked_until = NULL, issued_at = now()
                """,
                [agentID, hash]
            )
            try transaction.execute("DELETE FROM agent_sessions WHERE agent_id = $1", [agentID])
            return true
        }
        guard found else { throw CredentialError(.unknownAgent, agentID: agentID) }
        return password
    }

    /// Checks a password. Only an active agent with credentials can sign in; after ``SignInPolicy/maximumFailures``
    /// consecutive wrong passwords the agent is locked out for ``SignInPolicy/lockoutSeconds`` (no password is checked
    /// meanwhile).
    public func signIn(agentID: String, password: String) async throws -> SignInOutcome {
        guard (try? ContractRules.agentIdentifier(agentID, field: "agent_id")) != nil, password.utf8.count <= 256 else {
            _ = await self.hasher.verify(password, hash: self.hasher.decoyHash)
            return .rejected
        }
        let rows = try await self.database.query(
            """
            SELECT c.password_hash, c.locked_until > now() AS locked, c.locked_until
            FROM agent_credentials c JOIN agents a USING (agent_id)
            WHERE c.agent_id = $1 AND a.status = 'active'
            """,
            [agentID]
        )
        guard let row = rows.first else {
            _ = await self.hasher.verify(password, hash: self.hasher.decoyHash)
            return .rejected
        }
        let hash = try row.decode(String.self, named: "password_hash")
        if try row.decode(Bool?.self, named: "locked") == true,
            let until = try row.decode(Date?.self, named: "locked_until")
        {
            return .lockedOut(until: until)
        }
        guard await self.hasher.verify(password, hash: hash) else {
            let (maximum, lockout) = (self.policy.maximumFailures, self.policy.lockoutSeconds)
            try await self.database.query(
                """
                UPDATE agent_credentials
                SET failed_attempts = failed_attempts + 1,
                    locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(secs => $3) END
                WHERE agent_id = $1
                """,
                [agentID, maximum, lockout]
            )
            return .rejected
        }
        let token = SecretToken.hex()
        let ttl = self.policy.sessionTTLSeconds
        let expires = try await self.database.transaction { transaction in
            try transaction.execute(
                "UPDATE agent_credentials SET failed_attempts = 0, locked_until = NULL, last_signed_in = now() WHERE agent_id = $1",
                [agentID]
            )
            let inserted = try transaction.query(
                """
                INSERT INTO agent_sessions (token_sha256, agent_id, expires_at)
                VALUES (sha256(convert_to($1, 'UTF8')), $2, now() + make_interval(secs => $3))
                ON CONFLICT (token_sha256) DO NOTHING
                RETURNING expires_at
                """,
                [token, agentID, ttl]
            )
            // A retried body after a lost COMMIT reply finds its own row: read it back.
            if let row = inserted.first { return try row.decode(Date.self, named: "expires_at") }
            let existing = try transaction.query(
                "SELECT expires_at FROM agent_sessions WHERE token_sha256 = sha256(convert_to($1, 'UTF8'))", [token]
            )
            guard let row = existing.first else { throw CredentialError(.unknownAgent, agentID: agentID) }
            return try row.decode(Date.self, named: "expires_at")
        }
        return .signedIn(token: token, agentID: agentID, expiresAt: expires)
    }

    /// The session a cookie token names, or `nil` when it is unknown, expired, or its agent is no longer active.
    public func session(token: String) async throws -> AgentSession? {
        guard SecretToken.isWellFormed(token) else { return nil }
        let rows = try await self.database.query(
            """
            SELECT s.agent_id, s.expires_at FROM agent_sessions s JOIN agents a USING (agent_id)
            WHERE s.token_sha256 = sha256(convert_to($1, 'UTF8')) AND s.expires_at > now() AND a.status = 'active'
            """,
            [token]
        )
        guard let row = rows.first else { return nil }
        return AgentSession(
            agentID: try row.decode(String.self, named: "agent_id"),
            expiresAt: try row.decode(Date.self, named: "expires_at"))
    }

    /// Ends the session (sign-out). Unknown tokens are ignored.
    public func signOut(token: String) async throws {
        guard SecretToken.isWellFormed(token) else { return }
        try await self.database.query(
            "DELETE FROM agent_sessions WHERE token_sha256 = sha256(convert_to($1, 'UTF8'))", [token])
    }

    /// Deletes sessions that expired more than a day ago; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        try await self.database.query("DELETE FROM agent_sessions WHERE expires_at < now() - interval '1 day'")
            .affectedRows
    }
}
