-- 0007: the conversation as a first-class thing: one state and one ordered transcript per conversation, and what the
-- human lane needs so that nothing gets stuck (offer rounds, several offers at once for VIP and urgent, releases of
-- an absent agent's conversations, transfers, nudges, staff agents as the fallback pool).

-- One state per conversation: ai -> waiting -> offered -> assigned -> resolved (and back to waiting on a release,
-- decline or transfer). Changed only inside transactions that also write the outbox.
ALTER TABLE conversations DROP CONSTRAINT conversations_status_check;
UPDATE conversations SET status = 'ai' WHERE status = 'open';
ALTER TABLE conversations
    ALTER COLUMN status SET DEFAULT 'ai',
    ADD CONSTRAINT conversations_status_check CHECK (status IN ('ai', 'waiting', 'offered', 'assigned', 'resolved')),
    ADD COLUMN channel text,
    ADD COLUMN language text,
    -- The last transcript seq handed out (the row lock orders concurrent writers of one conversation).
    ADD COLUMN transcript_seq integer NOT NULL DEFAULT 0,
    -- The intent the AI asked a clarifying question about; the customer's next message answers it.
    ADD COLUMN pending_clarification text,
    -- When the conversation last went to the human lane (sticky until resolved).
    ADD COLUMN human_since timestamptz;

-- Every customer message, AI reply, agent message and system event, in order, idempotent by message_id.
CREATE TABLE transcript_entries (
    conversation_id text        NOT NULL,
    seq             integer     NOT NULL CHECK (seq >= 1),
    message_id      text        NOT NULL UNIQUE,
    author          text        NOT NULL CHECK (author IN ('customer', 'ai', 'agent', 'system')),
    author_id       text,
    kind            text        NOT NULL,
    text            text        NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq)
);

-- Staff agents (employees) are the fallback pool; gig agents are customers.
ALTER TABLE agents
    ADD COLUMN kind text NOT NULL DEFAULT 'gig' CHECK (kind IN ('gig', 'staff')),
    ADD COLUMN display_name text,
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD CONSTRAINT agents_gig_are_customers CHECK (kind = 'staff' OR customer_id IS NOT NULL);

-- What the agent needs to decide and to answer, for every human route; the line's re-offer rounds, widening and
-- fallback; the customer's waiting notices.
ALTER TABLE escalations
    ADD COLUMN channel           text        NOT NULL DEFAULT 'chat',
    ADD COLUMN preview           text        NOT NULL DEFAULT '',
    ADD COLUMN summary           text        NOT NULL DEFAULT '',
    ADD COLUMN sentiment         text        NOT NULL DEFAULT 'calm' CHECK (sentiment IN ('calm', 'upset', 'distressed')),
    ADD COLUMN handoff_reason    text,
    ADD COLUMN facts             jsonb       NOT NULL DEFAULT '[]',
    ADD COLUMN offer_round       integer     NOT NULL DEFAULT 1,
    ADD COLUMN last_offer_at     timestamptz,
    ADD COLUMN front_of_line     boolean     NOT NULL DEFAULT false,
    ADD COLUMN excluded_agent_id text,
    ADD COLUMN assignments_made  integer     NOT NULL DEFAULT 0,
    ADD COLUMN notices_sent      integer     NOT NULL DEFAULT 0,
    ADD COLUMN notified_eta_minutes integer,
    ADD COLUMN notified_at       timestamptz;
DROP INDEX escalations_waiting;
CREATE INDEX escalations_waiting ON escalations (front_of_line DESC, class_rank DESC, enqueued_at) WHERE state = 'waiting';

-- Offers: an agent is asked at most once per round; VIP and urgent conversations may be on offer to several agents
-- at once (the first accept wins). An agent still holds at most one pending offer.
ALTER TABLE offers
    ADD COLUMN round integer NOT NULL DEFAULT 1,
    ADD COLUMN pay_minor bigint,
    ADD COLUMN pay_currency char(3),
    DROP CONSTRAINT offers_escalation_id_agent_id_key,
    ADD CONSTRAINT offers_once_per_round UNIQUE (escalation_id, round, agent_id);
DROP INDEX offers_one_pending_per_escalation;
CREATE INDEX offers_pending_escalation ON offers (escalation_id) WHERE state = 'pending';

-- Assignments: a released or transferred conversation is assigned again, so an escalation may have several (one
-- active per conversation, as before).
ALTER TABLE assignments
    DROP CONSTRAINT assignments_escalation_id_key,
    DROP CONSTRAINT assignments_state_check,
    ADD CONSTRAINT assignments_state_check CHECK (state IN ('active', 'resolved', 'released')),
    ADD COLUMN released_at      timestamptz,
    ADD COLUMN release_reason   text,
    ADD COLUMN last_customer_at timestamptz,
    ADD COLUMN last_agent_at    timestamptz,
    ADD COLUMN nudged_at        timestamptz;
CREATE INDEX assignments_active_agent ON assignments (agent_id) WHERE state = 'active';
CREATE INDEX assignments_escalation ON assignments (escalation_id);
