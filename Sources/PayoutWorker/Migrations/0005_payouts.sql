-- 0005: payouts — rate cards, earnings, an append-only double-entry ledger, periods, statements, and the `payouts`
-- schema of read-only views for accountants (role concierge_accountant).
--
-- Money is bigint minor units (cents) plus an ISO 4217 code. Nothing here refers to customers or inquiries: the
-- payout tables hold agent ids, conversation/assignment/offer ids and amounts only.

-- Currencies the fleet prices in, with their minor-unit digits (kept in step with ConciergeCore's Currency).
CREATE TABLE payout_currencies (
    currency          char(3)  PRIMARY KEY,
    minor_unit_digits smallint NOT NULL CHECK (minor_unit_digits BETWEEN 0 AND 4)
);
INSERT INTO payout_currencies VALUES
    ('EUR', 2), ('GBP', 2), ('USD', 2), ('SEK', 2), ('NOK', 2), ('DKK', 2), ('CHF', 2), ('PLN', 2), ('CZK', 2),
    ('JPY', 0), ('KWD', 3);

-- Rate-card versions, one row per (version, market) as loaded from config/payouts.yaml. A version is immutable: the
-- worker refuses to start when the file's definition differs from the stored one.
CREATE TABLE payout_rate_cards (
    version        text        NOT NULL,
    market         text        NOT NULL,
    currency       char(3)     NOT NULL REFERENCES payout_currencies,
    effective_from timestamptz NOT NULL,
    definition     jsonb       NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (version, market)
);

-- Agents as the payout side knows them: the id, and a display name when one is known (refreshed from the
-- escalation worker's agents when a period is closed; nullable so payouts never depend on that table).
CREATE TABLE payout_agents (
    agent_id      text        PRIMARY KEY,
    display_name  text,
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- Pay periods (weekly `2026-W48` or monthly `2026-11`, UTC). Open until `conciergectl payouts close`; a closed period
-- accepts no more earnings (later events are booked into the next open period).
CREATE TABLE payout_periods (
    period_id text        PRIMARY KEY,
    cadence   text        NOT NULL CHECK (cadence IN ('weekly', 'monthly')),
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    status    text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at timestamptz,
    CHECK (starts_at < ends_at),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
    EXCLUDE USING gist (tstzrange(starts_at, ends_at) WITH &&)
);

-- Every resolution the payout worker applied: one row per assignment (a re-sent resolution with another message id
-- is ignored here, so it cannot pay twice), with the facts it was priced on.
CREATE TABLE payout_assignments (
    assignment_id     text        PRIMARY KEY,
    conversation_id   text        NOT NULL,
    offer_id          text        NOT NULL,
    agent_id          text        NOT NULL REFERENCES payout_agents,
    outcome           text        NOT NULL CHECK (outcome IN ('resolved', 'unresolved')),
    complexity        text        NOT NULL CHECK (complexity IN ('routine', 'complex', 'sensitive')),
    vip               boolean     NOT NULL,
    surge_bp          integer     NOT NULL CHECK (surge_bp >= 10000),
    market            text        NOT NULL,
    currency          char(3)     NOT NULL REFERENCES payout_currencies,
    rate_card_version text        NOT NULL,
    resolved_at       timestamptz NOT NULL,
    message_id        text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (rate_card_version, market) REFERENCES payout_rate_cards (version, market)
);
CREATE INDEX payout_assignments_conversation ON payout_assignments (conversation_id, agent_id);

-- Customer ratings and reopens as received, whether or not their resolution has arrived yet (events can overtake
-- each other). A rating applies to the resolutions of (conversation, agent); a reopen to its assignment.
CREATE TABLE payout_feedback (
    message_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    agent_id        text        NOT NULL,
    csat            smallint    NOT NULL CHECK (csat BETWEEN 1 AND 5),
    submitted_at    timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payout_feedback_conversation ON payout_feedback (conversation_id, agent_id);

CREATE TABLE payout_reopens (
    message_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL,
    assignment_id   text        NOT NULL,
    agent_id        text        NOT NULL,
    reopened_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payout_reopens_assignment ON payout_reopens (assignment_id);

-- Earnings: at most one of each kind per assignment — the resolution fee (base + VIP + surge), the CSAT bonus, the
-- clawback after a reopen. The components always add up to the amount. period_id is the period the earning is
-- booked in; event_period_id the period its event happened in (they differ for late events).
CREATE TABLE payout_earnings (
    earning_id        text        PRIMARY KEY,  -- '<assignment_id>:<kind>'
    assignment_id     text        NOT NULL REFERENCES payout_assignments,
    kind              text        NOT NULL CHECK (kind IN ('resolution', 'csat_bonus', 'clawback')),
    agent_id          text        NOT NULL REFERENCES payout_agents,
    conversation_id   text        NOT NULL,
    offer_id          text        NOT NULL,
    market            text        NOT NULL,
    currency          char(3)     NOT NULL REFERENCES payout_currencies,
    rate_card_version text        NOT NULL,
    base_minor        bigint      NOT NULL DEFAULT 0,
    vip_minor         bigint      NOT NULL DEFAULT 0,
    surge_minor       bigint      NOT NULL DEFAULT 0,
    csat_minor        bigint      NOT NULL DEFAULT 0,
    clawback_minor    bigint      NOT NULL DEFAULT 0 CHECK (clawback_minor <= 0),
    amount_minor      bigint      NOT NULL CHECK (amount_minor <> 0),
    surge_bp          integer     NOT NULL,
    csat              smallint,
    source_message_id text        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    event_period_id   text        NOT NULL,
    period_id         text        NOT NULL REFERENCES payout_periods,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (assignment_id, kind),
    CHECK (earning_id = assignment_id || ':' || kind),
    CHECK (amount_minor = base_minor + vip_minor + surge_minor + csat_minor + clawback_minor),
    FOREIGN KEY (rate_card_version, market) REFERENCES payout_rate_cards (version, market)
);
CREATE INDEX payout_earnings_period ON payout_earnings (period_id, agent_id);

-- The ledger. A transaction groups balanced entries; it is either an earning's posting or the reversal of an earlier
-- transaction (corrections are reversing entries, never edits).
CREATE TABLE ledger_transactions (
    transaction_id          bigserial   PRIMARY KEY,
    kind                    text        NOT NULL CHECK (kind IN ('earning', 'reversal')),
    earning_id              text        UNIQUE REFERENCES payout_earnings,
    reverses_transaction_id bigint      UNIQUE REFERENCES ledger_transactions,
    period_id               text        NOT NULL REFERENCES payout_periods,
    description             text        NOT NULL,
    posted_at               timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'earning') = (earning_id IS NOT NULL)),
    CHECK ((kind = 'reversal') = (reverses_transaction_id IS NOT NULL))
);

CREATE TABLE ledger_entries (
    entry_id          bigserial PRIMARY KEY,
    transaction_id    bigint    NOT NULL REFERENCES ledger_transactions,
    account           text      NOT NULL,
    side              text      NOT NULL CHECK (side IN ('debit', 'credit')),
    amount_minor      bigint    NOT NULL CHECK (amount_minor > 0),
    currency          char(3)   NOT NULL REFERENCES payout_currencies,
    component         text      NOT NULL CHECK (component IN ('base', 'vip', 'surge', 'csat', 'clawback')),
    agent_id          text      NOT NULL,
    conversation_id   text      NOT NULL,
    assignment_id     text      NOT NULL,
    offer_id          text      NOT NULL,
    rate_card_version text      NOT NULL
);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_account ON ledger_entries (account, currency);

-- One immutable statement per agent and currency for a closed period, and its lines (one per earning booked there).
CREATE TABLE payout_statements (
    statement_id text        PRIMARY KEY,  -- '<period_id>:<agent_id>:<currency>'
    period_id    text        NOT NULL REFERENCES payout_periods,
    agent_id     text        NOT NULL REFERENCES payout_agents,
    display_name text,
    currency     char(3)     NOT NULL REFERENCES payout_currencies,
    total_minor  bigint      NOT NULL,
    line_count   integer     NOT NULL CHECK (line_count > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (period_id, agent_id, currency)
);

CREATE TABLE payout_statement_lines (
    statement_id      text        NOT NULL REFERENCES payout_statements,
    line_no           integer     NOT NULL CHECK (line_no > 0),
    earning_id        text        NOT NULL UNIQUE REFERENCES payout_earnings,
    kind              text        NOT NULL,
    conversation_id   text        NOT NULL,
    assignment_id     text        NOT NULL,
    offer_id          text        NOT NULL,
    rate_card_version text        NOT NULL,
    base_minor        bigint      NOT NULL,
    vip_minor         bigint      NOT NULL,
    surge_minor       bigint      NOT NULL,
    csat_minor        bigint      NOT NULL,
    clawback_minor    bigint      NOT NULL,
    amount_minor      bigint      NOT NULL,
    surge_bp          integer     NOT NULL,
    csat              smallint,
    occurred_at       timestamptz NOT NULL,
    event_period_id   text        NOT NULL,
    late              boolean     NOT NULL,
    PRIMARY KEY (statement_id, line_no)
);

-- Append-only, enforced by the database: UPDATE, DELETE and TRUNCATE are rejected on the ledger, the earnings, the
-- statements and the facts they were priced from. A correction is a new (reversing) transaction.
CREATE FUNCTION payout_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % is not allowed (post a reversing entry instead)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'P0001', HINT = 'append_only';
END
$$;

DO $$
DECLARE
    target text;
BEGIN
    FOREACH target IN ARRAY ARRAY['payout_rate_cards', 'payout_assignments', 'payout_feedback', 'payout_reopens',
                                  'payout_earnings', 'ledger_transactions', 'ledger_entries', 'payout_statements',
                                  'payout_statement_lines'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION payout_reject_change()',
                       target || '_append_only', target);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION payout_reject_change()',
                       target || '_no_truncate', target);
    END LOOP;
END
$$;

-- A period only moves from open to closed, once; it is never deleted.
CREATE FUNCTION payout_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status = 'closed' OR NEW.period_id <> OLD.period_id OR NEW.starts_at <> OLD.starts_at
       OR NEW.ends_at <> OLD.ends_at OR NEW.cadence <> OLD.cadence THEN
        RAISE EXCEPTION 'period % can only be closed, once', OLD.period_id USING ERRCODE = 'P0001', HINT = 'append_only';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payout_periods_guard BEFORE UPDATE OR DELETE ON payout_periods
    FOR EACH ROW EXECUTE FUNCTION payout_period_guard();

-- Nothing is booked into a closed period (the worker picks the next open one; this is the backstop).
CREATE FUNCTION payout_require_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM payout_periods WHERE period_id = NEW.period_id) <> 'open' THEN
        RAISE EXCEPTION 'period % is closed', NEW.period_id USING ERRCODE = 'P0001', HINT = 'period_closed';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payout_earnings_open_period BEFORE INSERT ON payout_earnings
    FOR EACH ROW EXECUTE FUNCTION payout_require_open_period();
CREATE TRIGGER ledger_transactions_open_period BEFORE INSERT ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION payout_require_open_period();

-- Every ledger transaction balances per currency, checked at commit (after all its entries are in).
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT string_agg(currency, ', ') INTO unbalanced FROM (
        SELECT currency FROM ledger_entries WHERE transaction_id = NEW.transaction_id
        GROUP BY currency
        HAVING sum(CASE side WHEN 'debit' THEN amount_minor ELSE -amount_minor END) <> 0
    ) AS t;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %', NEW.transaction_id, unbalanced
            USING ERRCODE = 'P0001', HINT = 'unbalanced';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

-- ---------------------------------------------------------------------------------------------------------------
-- The accountants' schema: documented read-only views. Amounts are given in minor units (`*_minor`, exact) and in
-- major units (numeric, using the currency's digits).
CREATE SCHEMA payouts;
COMMENT ON SCHEMA payouts IS 'Read-only views over the payout ledger for accountants (role concierge_accountant).';

-- Pure arithmetic (no table access), so it runs the same for every role.
CREATE FUNCTION payouts.to_major(amount_minor bigint, minor_unit_digits smallint) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT round(amount_minor::numeric / (10::numeric ^ minor_unit_digits), minor_unit_digits)
$$;
COMMENT ON FUNCTION payouts.to_major(bigint, smallint) IS 'Minor units to a decimal amount in major units: to_major(1234, 2) = 12.34.';

CREATE VIEW payouts.agents AS
    SELECT agent_id, display_name FROM payout_agents;
COMMENT ON VIEW payouts.agents IS 'Agents who have earnings: id and display name (when known). No other personal data.';

CREATE VIEW payouts.periods AS
    SELECT period_id, cadence, starts_at, ends_at, status, closed_at FROM payout_periods;
COMMENT ON VIEW payouts.periods IS 'Pay periods (UTC). A closed period is frozen: its statements never change.';

CREATE VIEW payouts.rate_cards AS
    SELECT version, market, currency, effective_from, definition FROM payout_rate_cards;
COMMENT ON VIEW payouts.rate_cards IS 'Every rate-card version with its full definition (amounts in minor units).';

CREATE VIEW payouts.earnings AS
    SELECT e.earning_id, e.kind, e.agent_id, a.display_name, e.conversation_id, e.assignment_id, e.offer_id,
           e.market, e.currency, e.rate_card_version, pa.complexity, pa.vip, e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor,
           e.clawback_minor, e.amount_minor, payouts.to_major(e.amount_minor, c.minor_unit_digits) AS amount,
           e.surge_bp, e.csat, e.occurred_at, e.event_period_id, e.period_id,
           e.event_period_id <> e.period_id AS late, e.created_at
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_currencies c USING (currency)
         JOIN payout_assignments pa USING (assignment_id);
COMMENT ON VIEW payouts.earnings IS 'Every earning with its components (base, VIP, surge, CSAT, clawback; they sum to amount), the rate-card version that priced it, and the period it is booked in. late: booked after its own period closed.';

CREATE VIEW payouts.agent_period_totals AS
    SELECT e.period_id, p.status AS period_status, e.agent_id, a.display_name, e.currency,
           count(*) AS earnings, count(*) FILTER (WHERE e.event_period_id <> e.period_id) AS late_earnings,
           sum(e.base_minor) AS base_minor, sum(e.vip_minor) AS vip_minor, sum(e.surge_minor) AS surge_minor,
           sum(e.csat_minor) AS csat_minor, sum(e.clawback_minor) AS clawback_minor, sum(e.amount_minor) AS total_minor,
           payouts.to_major(sum(e.amount_minor)::bigint, c.minor_unit_digits) AS total
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_periods p USING (period_id)
         JOIN payout_currencies c USING (currency)
    GROUP BY e.period_id, p.status, e.agent_id, a.display_name, e.currency, c.minor_unit_digits;
COMMENT ON VIEW payouts.agent_period_totals IS 'Per agent, period and currency: earnings by component and the total (open periods are still moving).';

CREATE VIEW payouts.statements AS
    SELECT s.statement_id, s.period_id, s.agent_id, s.display_name, s.currency, s.total_minor,
           payouts.to_major(s.total_minor, c.minor_unit_digits) AS total, s.line_count, s.created_at
    FROM payout_statements s JOIN payout_currencies c USING (currency);
COMMENT ON VIEW payouts.statements IS 'One immutable statement per agent and currency for each closed period.';

CREATE VIEW payouts.statement_lines AS
    SELECT l.statement_id, s.period_id, s.agent_id, s.currency, l.line_no, l.earning_id, l.kind, l.conversation_id,
           l.assignment_id, l.offer_id, l.rate_card_version, l.base_minor, l.vip_minor, l.surge_minor, l.csat_minor,
           l.clawback_minor, l.amount_minor, payouts.to_major(l.amount_minor, c.minor_unit_digits) AS amount,
           l.surge_bp, l.csat, l.occurred_at, l.event_period_id, l.late
    FROM payout_statement_lines l JOIN payout_statements s USING (statement_id) JOIN payout_currencies c USING (currency);
COMMENT ON VIEW payouts.statement_lines IS 'The lines of each statement with their components; they sum to the statement total.';

CREATE VIEW payouts.ledger_entries AS
    SELECT le.entry_id, le.transaction_id, t.kind AS transaction_kind, t.earning_id, t.reverses_transaction_id,
           t.period_id, t.description, t.posted_at, le.account, le.side, le.amount_minor, le.currency, le.component,
           le.agent_id, le.conversation_id, le.assignment_id, le.offer_id, le.rate_card_version
    FROM ledger_entries le JOIN ledger_transactions t USING (transaction_id);
COMMENT ON VIEW payouts.ledger_entries IS 'The append-only double-entry journal: every entry with its transaction, account, side and the conversation, offer, rate card and component it explains.';

CREATE VIEW payouts.ledger_balances AS
    SELECT account, currency,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'debit'), 0)::bigint AS debit_minor,
           coalesce(sum(amount_minor) FILTER (WHERE side = 'credit'), 0)::bigint AS credit_minor,
           sum(CASE side WHEN 'debit' THEN amount_minor ELSE -amount_minor END)::bigint AS debit_balance_minor
    FROM ledger_entries GROUP BY account, currency;
COMMENT ON VIEW payouts.ledger_balances IS 'Balance of every account per currency (debit positive). Summed over all accounts of a currency it is zero.';

CREATE VIEW payouts.unpaid_balances AS
    SELECT a.agent_id, a.display_name, b.currency,
           -b.debit_balance_minor AS payable_minor,
           payouts.to_major(-b.debit_balance_minor, c.minor_unit_digits) AS payable,
           coalesce((SELECT sum(s.total_minor) FROM payout_statements s
                     WHERE s.agent_id = a.agent_id AND s.currency = b.currency), 0)::bigint AS on_statements_minor,
           -b.debit_balance_minor - coalesce((SELECT sum(s.total_minor) FROM payout_statements s
                     WHERE s.agent_id = a.agent_id AND s.currency = b.currency), 0)::bigint AS not_yet_on_statement_minor
    FROM payout_agents a
    JOIN payouts.ledger_balances b ON b.account = 'agent_payable:' || a.agent_id
    JOIN payout_currencies c ON c.currency = b.currency;
COMMENT ON VIEW payouts.unpaid_balances IS 'What is owed to each agent per currency (credit balance of agent_payable:<agent>), split into what closed statements cover and what open periods have added since.';

CREATE VIEW payouts.surge_effects AS
    SELECT period_id, market, currency, surge_bp, count(*) AS resolutions,
           sum(base_minor + vip_minor) AS before_surge_minor, sum(surge_minor) AS surge_minor,
           payouts.to_major(sum(surge_minor)::bigint, c.minor_unit_digits) AS surge
    FROM payout_earnings JOIN payout_currencies c USING (currency) WHERE kind = 'resolution'
    GROUP BY period_id, market, currency, c.minor_unit_digits, surge_bp;
COMMENT ON VIEW payouts.surge_effects IS 'Per period, market and surge level (basis points, 10000 = 1.00x): how much surge added on top of base + VIP.';

CREATE VIEW payouts.csat_effects AS
    SELECT period_id, market, currency,
           count(*) FILTER (WHERE kind = 'csat_bonus') AS csat_bonuses, sum(csat_minor) AS csat_minor,
           count(*) FILTER (WHERE kind = 'clawback') AS clawbacks, sum(clawback_minor) AS clawback_minor
    FROM payout_earnings
    GROUP BY period_id, market, currency;
COMMENT ON VIEW payouts.csat_effects IS 'Per period, market and currency: CSAT bonuses paid and reopen clawbacks taken.';

CREATE VIEW payouts.market_totals AS
    SELECT period_id, market, currency, count(DISTINCT agent_id) AS agents,
           count(*) FILTER (WHERE kind = 'resolution') AS resolutions,
           sum(base_minor) AS base_minor, sum(vip_minor) AS vip_minor, sum(surge_minor) AS surge_minor,
           sum(csat_minor) AS csat_minor, sum(clawback_minor) AS clawback_minor, sum(amount_minor) AS total_minor,
           payouts.to_major(sum(amount_minor)::bigint, c.minor_unit_digits) AS total
    FROM payout_earnings JOIN payout_currencies c USING (currency)
    GROUP BY period_id, market, currency, c.minor_unit_digits;
COMMENT ON VIEW payouts.market_totals IS 'Per period, market and currency: totals by component.';

-- The read-only role. Created without LOGIN: give it a password (ALTER ROLE concierge_accountant LOGIN PASSWORD ...)
-- or grant it to a person's role. It can use the payouts schema and select from its views, nothing else: the views
-- read the tables with their owner's rights, so no table grant is needed (or given).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'concierge_accountant') THEN
        CREATE ROLE concierge_accountant NOLOGIN;
    END IF;
END
$$;
REVOKE ALL ON SCHEMA payouts FROM PUBLIC;
GRANT USAGE ON SCHEMA payouts TO concierge_accountant;
GRANT SELECT ON ALL TABLES IN SCHEMA payouts TO concierge_accountant;
GRANT EXECUTE ON FUNCTION payouts.to_major(bigint, smallint) TO concierge_accountant;
