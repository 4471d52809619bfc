-- 0004: the escalation worker: gig agents recruited from the customers, the waiting line, offers, assignments.
-- Invariants are enforced by the database, not only by the code, so several escalation workers can run at once:
-- an agent is never over capacity (CHECK), a conversation has at most one open escalation and one active
-- assignment (partial unique indexes), an escalation at most one pending offer, an agent at most one pending offer,
-- and an agent is offered a given escalation at most once (UNIQUE).

-- Agents are customers. status: applicant -> active -> paused/suspended (or rejected), each change in
-- agent_status_history with its reason. A pending offer reserves one unit of capacity.
CREATE TABLE agents (
    agent_id             text        PRIMARY KEY,
    customer_id          text        NOT NULL UNIQUE REFERENCES customers (customer_id),
    status               text        NOT NULL CHECK (status IN ('applicant', 'active', 'paused', 'suspended', 'rejected')),
    status_reason        text        NOT NULL,
    market               text        NOT NULL,
    languages            text[]      NOT NULL,
    skills               text[]      NOT NULL,
    capacity             integer     NOT NULL CHECK (capacity BETWEEN 1 AND 20),
    active_conversations integer     NOT NULL DEFAULT 0,
    pending_offer_id     text,
    presence             text        NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'offline')),
    last_seen_at         timestamptz,
    rating_sum           integer     NOT NULL DEFAULT 0,
    rating_count         integer     NOT NULL DEFAULT 0,
    assignments_total    integer     NOT NULL DEFAULT 0,
    last_offered_at      timestamptz,
    enrolled_at          timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agent_within_capacity
        CHECK (active_conversations >= 0 AND active_conversations + (pending_offer_id IS NOT NULL)::int <= capacity)
);
CREATE INDEX agents_available ON agents (market) WHERE status = 'active' AND presence = 'online';
CREATE INDEX agents_online ON agents (last_seen_at) WHERE presence = 'online';

CREATE TABLE agent_status_history (
    agent_id   text        NOT NULL REFERENCES agents (agent_id),
    status     text        NOT NULL,
    reason     text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_status_history_agent ON agent_status_history (agent_id, changed_at);

-- Every application (CLI or agent.applied.v1) with the eligibility verdict.
CREATE TABLE agent_applications (
    application_id text        PRIMARY KEY,
    customer_id    text        NOT NULL,
    agent_id       text        NOT NULL,
    eligible       boolean     NOT NULL,
    reasons        text[]      NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);

-- The waiting line: one escalation per human episode of a conversation. service_class/class_rank order the line
-- (vip 3, urgent 2, high 1, normal 0), then enqueued_at. sla_due_at is the SLA target for assignment.
CREATE TABLE escalations (
    escalation_id     text        PRIMARY KEY,
    conversation_id   text        NOT NULL,
    customer_id       text        NOT NULL,
    market            text        NOT NULL,
    language          text        NOT NULL,
    skills            text[]      NOT NULL,
    intent            text,
    priority          text        NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
    vip               boolean     NOT NULL,
    service_class     text        NOT NULL CHECK (service_class IN ('vip', 'urgent', 'high', 'normal')),
    class_rank        integer     NOT NULL,
    complexity        text        NOT NULL CHECK (complexity IN ('routine', 'complex', 'sensitive')),
    reasons           text[]      NOT NULL,
    state             text        NOT NULL CHECK (state IN ('waiting', 'offered', 'assigned', 'resolved')),
    messages          integer     NOT NULL DEFAULT 1,
    reopened_from     text,
    enqueued_at       timestamptz NOT NULL DEFAULT now(),
    sla_due_at        timestamptz NOT NULL,
    sla_breached      boolean     NOT NULL DEFAULT false,
    offers_made       integer     NOT NULL DEFAULT 0,
    first_offer_at    timestamptz,
    assigned_at       timestamptz,
    first_response_at timestamptz,
    resolved_at       timestamptz
);
CREATE UNIQUE INDEX escalations_one_open_per_conversation ON escalations (conversation_id) WHERE state <> 'resolved';
CREATE INDEX escalations_waiting ON escalations (class_rank DESC, enqueued_at) WHERE state = 'waiting';
CREATE INDEX escalations_sla ON escalations (sla_due_at) WHERE state IN ('waiting', 'offered') AND NOT sla_breached;

-- Offers. expires_at is the timer: any escalation worker's dispatcher expires due offers (FOR UPDATE SKIP LOCKED),
-- so a worker that dies never strands one. surge_bp is what the agent was shown.
CREATE TABLE offers (
    offer_id      text        PRIMARY KEY,
    escalation_id text        NOT NULL REFERENCES escalations (escalation_id),
    agent_id      text        NOT NULL REFERENCES agents (agent_id),
    attempt       integer     NOT NULL,
    state         text        NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')),
    surge_bp      integer     NOT NULL CHECK (surge_bp BETWEEN 10000 AND 50000),
    offered_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    responded_at  timestamptz,
    reason        text,
    UNIQUE (escalation_id, agent_id),
    UNIQUE (escalation_id, attempt)
);
CREATE UNIQUE INDEX offers_one_pending_per_escalation ON offers (escalation_id) WHERE state = 'pending';
CREATE UNIQUE INDEX offers_one_pending_per_agent ON offers (agent_id) WHERE state = 'pending';
CREATE INDEX offers_due ON offers (expires_at) WHERE state = 'pending';

-- An accepted offer. One per escalation; one active per conversation.
CREATE TABLE assignments (
    assignment_id   text        PRIMARY KEY,
    escalation_id   text        NOT NULL UNIQUE REFERENCES escalations (escalation_id),
    offer_id        text        NOT NULL UNIQUE REFERENCES offers (offer_id),
    conversation_id text        NOT NULL,
    agent_id        text        NOT NULL REFERENCES agents (agent_id),
    customer_id     text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('active', 'resolved')),
    outcome         text        CHECK (outcome IN ('resolved', 'unresolved')),
    surge_bp        integer     NOT NULL,
    assigned_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at     timestamptz,
    reopened_at     timestamptz,
    reopened_by     text
);
CREATE UNIQUE INDEX assignments_one_active_per_conversation ON assignments (conversation_id) WHERE state = 'active';
CREATE INDEX assignments_resolved_customer ON assignments (customer_id, resolved_at) WHERE state = 'resolved';

-- What agents wrote to customers (the text lives here only) and what customers thought of it.
CREATE TABLE agent_messages (
    message_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    agent_id        text        NOT NULL,
    text            text        NOT NULL,
    sent_at         timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE agent_feedback (
    message_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    agent_id        text        NOT NULL REFERENCES agents (agent_id),
    customer_id     text        NOT NULL,
    csat            integer     NOT NULL CHECK (csat BETWEEN 1 AND 5),
    submitted_at    timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
