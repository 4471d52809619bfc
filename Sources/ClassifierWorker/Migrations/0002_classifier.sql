-- 0002: customers, conversations, inquiries and the classifier's routing decisions.

-- Customers, kept current by upstream systems. tier drives VIP routing.
CREATE TABLE customers (
    customer_id  text        PRIMARY KEY,
    display_name text        NOT NULL,
    tier         text        NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'vip')),
    language     text        NOT NULL DEFAULT 'en',
    market       text        NOT NULL DEFAULT 'EU',
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per conversation. assigned_agent_id is set by the escalation worker when a human takes it; follow-ups in
-- an assigned conversation go to that agent.
CREATE TABLE conversations (
    conversation_id   text        PRIMARY KEY,
    customer_id       text        NOT NULL,
    status            text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'assigned', 'resolved')),
    assigned_agent_id text,
    opened_at         timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Every inquiry as received (the customer's text lives here and nowhere else).
CREATE TABLE inquiries (
    message_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    customer_id     text        NOT NULL,
    channel         text        NOT NULL,
    language        text        NOT NULL,
    text            text        NOT NULL,
    sent_at         timestamptz NOT NULL,
    in_reply_to     text,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inquiries_conversation ON inquiries (conversation_id);

-- The classifier's decision for every inquiry, with the reasons that fired.
CREATE TABLE routing_decisions (
    message_id      text         PRIMARY KEY REFERENCES inquiries (message_id),
    customer_id     text         NOT NULL,
    conversation_id text         NOT NULL,
    route           text         NOT NULL CHECK (route IN ('ai', 'human', 'human_priority')),
    priority        text         NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
    intent          text,
    confidence      numeric(5,4) NOT NULL,
    top_intent      text         NOT NULL,
    sensitive       boolean      NOT NULL,
    reasons         text[]       NOT NULL,
    model_version   text         NOT NULL,
    decided_at      timestamptz  NOT NULL DEFAULT now(),
    -- Enforced by the database as well: a sensitive inquiry is never routed to the AI.
    CONSTRAINT sensitive_never_ai CHECK (NOT (sensitive AND route = 'ai'))
);
CREATE INDEX routing_decisions_customer ON routing_decisions (customer_id, decided_at);
