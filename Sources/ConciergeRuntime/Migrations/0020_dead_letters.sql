-- Dead letters moved out of the concierge.dead-letter queue by the archiver (acked after this insert commits), so
-- operators can list, show, export, replay and purge them without touching the queue: taking a message from the
-- table never raises a delivery count or reorders the others.
CREATE TABLE dead_letters (
    id               bigserial   PRIMARY KEY,
    -- Archiving is at least once: a dead letter received again after a crash between COMMIT and ack has the same key.
    archive_key      text        NOT NULL UNIQUE,
    message_id       text,
    -- The queue the message was dead-lettered from, where a replay sends it.
    queue            text        NOT NULL,
    reason           text        NOT NULL,
    detail           text        NOT NULL DEFAULT '',
    worker           text,
    exchange         text        NOT NULL,
    routing_key      text        NOT NULL,
    content_type     text,
    type             text,
    app_id           text,
    -- AMQP headers as typed JSON (see AMQPFieldValue+JSON.swift), so a replay restores them.
    headers          jsonb       NOT NULL,
    body             bytea       NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    replay_count     integer     NOT NULL DEFAULT 0,
    replayed_at      timestamptz
);
CREATE INDEX dead_letters_pending ON dead_letters (reason, id) WHERE replayed_at IS NULL;
