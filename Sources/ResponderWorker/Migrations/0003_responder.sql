-- 0003: account facts (kept current by upstream systems; `conciergectl seed` fills a demo population) and the AI
-- responder's own records (replies and handoffs).
--
-- Money is always an integer amount in minor units (cents, pence) plus an ISO 4217 currency code; never floating
-- point. Dates the customer sees (purchase, due, expected) are calendar dates; events are timestamptz.

-- A purchase paid with Concierge Pay. order_reference is the shop's order number as the customer sees it.
CREATE TABLE purchases (
    purchase_id     text        PRIMARY KEY,
    customer_id     text        NOT NULL,
    merchant        text        NOT NULL,
    order_reference text        NOT NULL,
    amount_minor    bigint      NOT NULL CHECK (amount_minor > 0),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    purchased_on    date        NOT NULL,
    status          text        NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'paid_off', 'refunded', 'partially_refunded', 'cancelled')),
    delivery_status text        NOT NULL DEFAULT 'delivered'
                    CHECK (delivery_status IN ('processing', 'shipped', 'delivered', 'lost')),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchases_customer ON purchases (customer_id, purchased_on DESC);

-- How a purchase is paid: one plan per purchase.
CREATE TABLE payment_plans (
    plan_id          text    PRIMARY KEY,
    purchase_id      text    NOT NULL UNIQUE REFERENCES purchases (purchase_id),
    kind             text    NOT NULL CHECK (kind IN ('pay_in_3', 'pay_in_4', 'pay_in_30_days', 'monthly_6', 'monthly_12')),
    instalment_count integer NOT NULL CHECK (instalment_count > 0),
    currency         char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$')
);

-- The plan's instalments. status: scheduled (not yet due), paid, overdue (due and unpaid), failed (the last
-- collection attempt failed), waived. late_fee_minor is the fee added to this instalment (0 when none).
CREATE TABLE instalments (
    plan_id        text    NOT NULL REFERENCES payment_plans (plan_id),
    sequence       integer NOT NULL CHECK (sequence > 0),
    due_on         date    NOT NULL,
    amount_minor   bigint  NOT NULL CHECK (amount_minor > 0),
    currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status         text    NOT NULL CHECK (status IN ('scheduled', 'paid', 'overdue', 'failed', 'waived')),
    paid_on        date,
    late_fee_minor bigint  NOT NULL DEFAULT 0 CHECK (late_fee_minor >= 0),
    PRIMARY KEY (plan_id, sequence)
);

-- Every collection attempt or customer payment towards an instalment.
CREATE TABLE payments (
    payment_id          text        PRIMARY KEY,
    customer_id         text        NOT NULL,
    purchase_id         text        NOT NULL REFERENCES purchases (purchase_id),
    instalment_sequence integer,
    amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
    currency            char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    method              text        NOT NULL CHECK (method IN ('card', 'direct_debit', 'bank_transfer')),
    status              text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'reversed')),
    failure_reason      text,       -- e.g. insufficient_funds, card_expired, authentication_required
    attempted_on        date        NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, attempted_on DESC);

-- Refunds and returns. kind return: the customer sends goods back and the shop refunds once it receives them.
CREATE TABLE refunds (
    refund_id    text    PRIMARY KEY,
    customer_id  text    NOT NULL,
    purchase_id  text    NOT NULL REFERENCES purchases (purchase_id),
    kind         text    NOT NULL CHECK (kind IN ('refund', 'return')),
    amount_minor bigint  NOT NULL CHECK (amount_minor > 0),
    currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status       text    NOT NULL
                 CHECK (status IN ('requested', 'in_transit', 'received_by_merchant', 'processing', 'completed', 'rejected')),
    requested_on date    NOT NULL,
    expected_on  date,
    completed_on date
);
CREATE INDEX refunds_customer ON refunds (customer_id);

-- Every message the AI responder sent (answers and clarifying questions), with the facts it was grounded in.
-- One per inquiry: reply_id is '<inquiry id>.reply'.
CREATE TABLE ai_replies (
    reply_id        text        PRIMARY KEY,
    inquiry_id      text        NOT NULL UNIQUE,
    conversation_id text        NOT NULL,
    customer_id     text        NOT NULL,
    intent          text        NOT NULL,
    language        text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('answer', 'clarification')),
    text            text        NOT NULL,
    facts           jsonb       NOT NULL,
    article_id      text,
    backend         text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_replies_conversation ON ai_replies (conversation_id);

-- Every inquiry the AI lane handed to the human lane, and why. One per inquiry.
CREATE TABLE ai_handoffs (
    inquiry_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    customer_id     text        NOT NULL,
    intent          text,
    reason          text        NOT NULL,
    summary         text        NOT NULL,
    facts           jsonb       NOT NULL,
    ai_reply        text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_handoffs_conversation ON ai_handoffs (conversation_id);
