-- 0001: the worker runtime's own tables.

-- Every message id a consumer has applied. A delivery whose (consumer, message_id) is already here is a duplicate:
-- it is acknowledged with no effect.
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    message_id  text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Messages to publish, written in the same transaction as the effects that caused them. The relay publishes them
-- with publisher confirms and sets sent_at. claimed_until lets several relays share the table: a row is only
-- picked up by a sweeper once its claim has expired (its writer died before publishing it).
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    message_id    text        NOT NULL,
    exchange      text        NOT NULL,
    routing_key   text        NOT NULL,
    message_type  text        NOT NULL,
    body          text        NOT NULL,   -- UTF-8 JSON
    mandatory     boolean     NOT NULL,
    producer      text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    sent_at       timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Attempts at messages that came back after a worker died while holding them. A message that keeps killing workers
-- is dead-lettered with the reason poison_message once it reaches the configured number of attempts.
CREATE TABLE delivery_attempts (
    consumer        text        NOT NULL,
    message_id      text        NOT NULL,
    attempts        integer     NOT NULL,
    last_attempt_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Effects of the pass-through worker (benchmarks and fault tests). Deliberately no unique constraint: a message
-- applied twice would show up as two rows here.
CREATE TABLE passthrough_log (
    consumer   text        NOT NULL,
    message_id text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX passthrough_log_message ON passthrough_log (consumer, message_id);

-- Messages taken by a worker that is still a shell (RecordingHandler): accounted for, not yet acted on.
CREATE TABLE worker_log (
    worker      text        NOT NULL,
    message_id  text        NOT NULL,
    schema      text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
