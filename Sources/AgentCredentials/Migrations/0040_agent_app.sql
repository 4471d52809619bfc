-- 0040: the agent app (concierge-agent-gateway): agents' sign-in credentials and their sessions. These are the only
-- tables the gateway writes; everything else it only reads.
--
-- A password is stored only as a bcrypt hash. failed_attempts counts consecutive wrong passwords; after
-- gateway.signin.max_failures of them the agent is locked until locked_until (every replica sees it: the rate limit
-- does not live in one replica's memory). A session is stored only as the SHA-256 of its cookie token, so a read
-- of this table cannot be replayed as a cookie.
CREATE TABLE agent_credentials (
    agent_id        text        PRIMARY KEY REFERENCES agents (agent_id),
    password_hash   text        NOT NULL CHECK (password_hash LIKE '$2%'),
    failed_attempts integer     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    timestamptz,
    issued_at       timestamptz NOT NULL DEFAULT now(),
    last_signed_in  timestamptz
);

CREATE TABLE agent_sessions (
    token_sha256 bytea       PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
    agent_id     text        NOT NULL REFERENCES agent_credentials (agent_id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);
CREATE INDEX agent_sessions_expiry ON agent_sessions (expires_at);
