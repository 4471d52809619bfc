-- 0030: paying the agents — presence history for hourly pay, time earnings (hourly, guarantee top-up), payout runs
-- (payment instructions, carries, bank results), agents' payout details, and the accountants' new views.
--
-- Money stays bigint minor units plus an ISO 4217 code; every new table that records money or a fact is append-only
-- (the 0005 trigger function), except the presence session's single offline_at write.

-- ---------------------------------------------------------------------------------------------------------------
-- Presence history: one row per stretch an agent was online, from the database clock. Written by the escalation
-- worker (EscalationWorker/Agents/PresenceLog.swift): online/heartbeat opens a session when none is open, offline or
-- the heartbeat timeout closes it at the agent's last sign of life. No foreign key to `agents`: payouts read this
-- table without depending on the escalation worker's schema staying as it is.
CREATE TABLE agent_presence_sessions (
    session_id bigserial   PRIMARY KEY,
    agent_id   text        NOT NULL,
    market     text        NOT NULL,
    online_at  timestamptz NOT NULL DEFAULT now(),
    offline_at timestamptz,
    CHECK (offline_at IS NULL OR offline_at >= online_at)
);
CREATE UNIQUE INDEX agent_presence_sessions_one_open ON agent_presence_sessions (agent_id) WHERE offline_at IS NULL;
-- A period's sessions are those ending after its start (or still open): found by offline_at, not by scanning history.
CREATE INDEX agent_presence_sessions_offline ON agent_presence_sessions (offline_at);

-- A session only ever gets its end, once; it is never deleted or moved.
CREATE FUNCTION agent_presence_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.offline_at IS NOT NULL OR NEW.offline_at IS NULL OR NEW.session_id <> OLD.session_id
       OR NEW.agent_id <> OLD.agent_id OR NEW.market <> OLD.market OR NEW.online_at <> OLD.online_at THEN
        RAISE EXCEPTION 'presence session % can only be ended, once', OLD.session_id USING ERRCODE = 'P0001', HINT = 'append_only';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER agent_presence_sessions_guard BEFORE UPDATE OR DELETE ON agent_presence_sessions
    FOR EACH ROW EXECUTE FUNCTION agent_presence_session_guard();
CREATE TRIGGER agent_presence_sessions_no_truncate BEFORE TRUNCATE ON agent_presence_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION payout_reject_change();

-- ---------------------------------------------------------------------------------------------------------------
-- Pseudonyms: accountants' new views show `agent_ref`, a random id that says nothing about the agent (agent ids are
-- often derived from customer ids). payouts.agent_identities maps it back, for the people allowed to.
ALTER TABLE payout_agents ADD COLUMN agent_ref text NOT NULL UNIQUE
    DEFAULT ('agt-' || substr(md5(random()::text || clock_timestamp()::text), 1, 12));

-- ---------------------------------------------------------------------------------------------------------------
-- Time earnings: per agent, closed period, market and rate-card version, written when the period is closed.
--   hourly:          rate_per_hour × minutes_online / 60 (hourly markets)
--   guarantee_topup: max(0, minimum_per_hour × minutes_online / 60 − counted), where counted is the agent's
--                    resolution fees net of clawbacks booked in the period for that market and version (hybrid)
-- Each rounded half-even once. They have no assignment, conversation or offer.
ALTER TABLE payout_earnings
    ALTER COLUMN assignment_id DROP NOT NULL,
    ALTER COLUMN conversation_id DROP NOT NULL,
    ALTER COLUMN offer_id DROP NOT NULL,
    ADD COLUMN hourly_minor bigint NOT NULL DEFAULT 0 CHECK (hourly_minor >= 0),
    ADD COLUMN guarantee_minor bigint NOT NULL DEFAULT 0 CHECK (guarantee_minor >= 0),
    ADD COLUMN minutes_online integer CHECK (minutes_online > 0),
    ADD COLUMN rate_per_hour_minor bigint,
    ADD COLUMN minimum_per_hour_minor bigint,
    ADD COLUMN guaranteed_minor bigint,
    ADD COLUMN counted_minor bigint;

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'payout_earnings'::regclass AND contype = 'c'
               AND (pg_get_constraintdef(oid) LIKE '%kind%' OR pg_get_constraintdef(oid) LIKE '%amount_minor = %') LOOP
        EXECUTE format('ALTER TABLE payout_earnings DROP CONSTRAINT %I', c.conname);
    END LOOP;
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'payout_statement_lines'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%kind%' LOOP
        EXECUTE format('ALTER TABLE payout_statement_lines DROP CONSTRAINT %I', c.conname);
    END LOOP;
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'ledger_entries'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%component%' LOOP
        EXECUTE format('ALTER TABLE ledger_entries DROP CONSTRAINT %I', c.conname);
    END LOOP;
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'ledger_transactions'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%kind%' AND pg_get_constraintdef(oid) LIKE '%earning''::text%'
               AND pg_get_constraintdef(oid) LIKE '%reversal''::text%' AND pg_get_constraintdef(oid) NOT LIKE '%earning_id%' LOOP
        EXECUTE format('ALTER TABLE ledger_transactions DROP CONSTRAINT %I', c.conname);
    END LOOP;
END
$$;

ALTER TABLE payout_earnings
    ADD CONSTRAINT payout_earnings_kind_known
        CHECK (kind IN ('resolution', 'csat_bonus', 'clawback', 'hourly', 'guarantee_topup')),
    ADD CONSTRAINT payout_earnings_time_has_no_assignment
        CHECK ((kind IN ('hourly', 'guarantee_topup')) = (assignment_id IS NULL)),
    ADD CONSTRAINT payout_earnings_id_from_assignment
        CHECK (assignment_id IS NULL OR earning_id = assignment_id || ':' || kind),
    ADD CONSTRAINT payout_earnings_id_from_time
        CHECK (assignment_id IS NOT NULL OR earning_id = 'time:' || period_id || ':' || agent_id || ':' || market || ':' || rate_card_version || ':' || kind),
    ADD CONSTRAINT payout_earnings_time_explained
        CHECK (assignment_id IS NOT NULL OR (minutes_online IS NOT NULL AND (rate_per_hour_minor IS NOT NULL OR
               (minimum_per_hour_minor IS NOT NULL AND guaranteed_minor IS NOT NULL AND counted_minor IS NOT NULL)))),
    ADD CONSTRAINT payout_earnings_components_sum
        CHECK (amount_minor = base_minor + vip_minor + surge_minor + csat_minor + clawback_minor + hourly_minor + guarantee_minor);

ALTER TABLE payout_statement_lines
    ALTER COLUMN conversation_id DROP NOT NULL,
    ALTER COLUMN assignment_id DROP NOT NULL,
    ALTER COLUMN offer_id DROP NOT NULL,
    ADD COLUMN hourly_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN guarantee_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN minutes_online integer,
    ADD COLUMN rate_per_hour_minor bigint,
    ADD COLUMN minimum_per_hour_minor bigint,
    ADD COLUMN guaranteed_minor bigint,
    ADD COLUMN counted_minor bigint;

-- ---------------------------------------------------------------------------------------------------------------
-- Payout details: what a bank needs to pay an agent. Append-only history, the latest row per agent is current; not
-- readable by the accountant role (payouts.agent_identities shows the holder and a masked IBAN only).
CREATE TABLE agent_payout_details (
    details_id     bigserial   PRIMARY KEY,
    agent_id       text        NOT NULL,
    account_holder text        NOT NULL CHECK (length(account_holder) BETWEEN 1 AND 70),
    iban           text        NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    bic            text        CHECK (bic ~ '^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$'),
    entered_via    text        NOT NULL CHECK (entered_via IN ('cli', 'agent_app')),
    entered_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_payout_details_agent ON agent_payout_details (agent_id, details_id DESC);

-- ---------------------------------------------------------------------------------------------------------------
-- Payout runs. One run per closed period (`payouts pay --period P`): per agent and currency, the closed statements
-- of periods up to P that no live instruction covers yet; at or above the currency's minimum (and with payout
-- details) they become one payment instruction, else they are carried (left uncovered for a later run).
CREATE TABLE payout_runs (
    run_id       text        PRIMARY KEY,  -- 'run-<period_id>'
    period_id    text        NOT NULL UNIQUE REFERENCES payout_periods,
    minimums     jsonb       NOT NULL,     -- {"EUR": 1000, ...} in minor units, as configured for the run
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payout_instructions (
    instruction_id  text        PRIMARY KEY CHECK (length(instruction_id) <= 35),  -- also the end-to-end id
    run_id          text        NOT NULL REFERENCES payout_runs,
    agent_id        text        NOT NULL REFERENCES payout_agents,
    currency        char(3)     NOT NULL REFERENCES payout_currencies,
    amount_minor    bigint      NOT NULL CHECK (amount_minor > 0),
    details_id      bigint      NOT NULL REFERENCES agent_payout_details,
    account_holder  text        NOT NULL,
    iban            text        NOT NULL,
    bic             text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, agent_id, currency)
);

CREATE TABLE payout_instruction_statements (
    instruction_id text   NOT NULL REFERENCES payout_instructions,
    statement_id   text   NOT NULL REFERENCES payout_statements,
    amount_minor   bigint NOT NULL,
    PRIMARY KEY (instruction_id, statement_id)
);
CREATE INDEX payout_instruction_statements_statement ON payout_instruction_statements (statement_id);

CREATE TABLE payout_carries (
    run_id       text    NOT NULL REFERENCES payout_runs,
    agent_id     text    NOT NULL REFERENCES payout_agents,
    currency     char(3) NOT NULL REFERENCES payout_currencies,
    amount_minor bigint  NOT NULL,
    statements   integer NOT NULL CHECK (statements > 0),
    reason       text    NOT NULL CHECK (reason IN ('below_minimum', 'no_payout_details')),
    PRIMARY KEY (run_id, agent_id, currency)
);

-- The bank's verdicts (`payouts settle --file`): pending -> paid | failed | returned, and paid -> returned.
CREATE TABLE payout_settlements (
    instruction_id text        NOT NULL REFERENCES payout_instructions,
    outcome        text        NOT NULL CHECK (outcome IN ('paid', 'failed', 'returned')),
    reason         text,
    source_file    text        NOT NULL,
    settled_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instruction_id, outcome),
    CHECK (outcome = 'paid' OR reason IS NOT NULL)
);

-- Ledger: payments and their settlement. payment: agent_payable -> payments_in_transit; paid: payments_in_transit
-- -> bank; failed/returned before paid: payments_in_transit -> agent_payable; returned after paid: bank ->
-- agent_payable. Entries of these transactions name no conversation.
ALTER TABLE ledger_entries
    ALTER COLUMN conversation_id DROP NOT NULL,
    ALTER COLUMN assignment_id DROP NOT NULL,
    ALTER COLUMN offer_id DROP NOT NULL,
    ALTER COLUMN rate_card_version DROP NOT NULL,
    ADD CONSTRAINT ledger_entries_component_known
        CHECK (component IN ('base', 'vip', 'surge', 'csat', 'clawback', 'hourly', 'guarantee', 'payment'));

ALTER TABLE ledger_transactions
    ADD COLUMN instruction_id text REFERENCES payout_instructions,
    ADD CONSTRAINT ledger_transactions_kind_known
        CHECK (kind IN ('earning', 'reversal', 'payment', 'payment_paid', 'payment_failed', 'payment_returned')),
    ADD CONSTRAINT ledger_transactions_payment_has_instruction
        CHECK ((kind LIKE 'payment%') = (instruction_id IS NOT NULL)),
    ADD CONSTRAINT ledger_transactions_one_per_instruction_step UNIQUE (instruction_id, kind);

DO $$
DECLARE
    target text;
BEGIN
    FOREACH target IN ARRAY ARRAY['agent_payout_details', 'payout_runs', 'payout_instructions',
                                  'payout_instruction_statements', 'payout_carries', 'payout_settlements'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION payout_reject_change()',
                       target || '_append_only', target);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION payout_reject_change()',
                       target || '_no_truncate', target);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Views. Every view created in `payouts` from here on is readable by the accountant role without a GRANT of its own.
ALTER DEFAULT PRIVILEGES IN SCHEMA payouts GRANT SELECT ON TABLES TO concierge_accountant;

-- The existing views, extended (new columns at the end; time earnings have no assignment, hence the LEFT JOIN).
CREATE OR REPLACE VIEW payouts.earnings AS
    SELECT e.earning_id, e.kind, e.agent_id, a.display_name, e.conversation_id, e.assignment_id, e.offer_id,
           e.market, e.currency, e.rate_card_version, pa.complexity, pa.vip, e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor,
           e.clawback_minor, e.amount_minor, payouts.to_major(e.amount_minor, c.minor_unit_digits) AS amount,
           e.surge_bp, e.csat, e.occurred_at, e.event_period_id, e.period_id,
           e.event_period_id <> e.period_id AS late, e.created_at,
           e.hourly_minor, e.guarantee_minor, e.minutes_online, e.rate_per_hour_minor, e.minimum_per_hour_minor,
           e.guaranteed_minor, e.counted_minor, a.agent_ref
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_currencies c USING (currency)
         LEFT JOIN payout_assignments pa USING (assignment_id);
COMMENT ON VIEW payouts.earnings IS 'Every earning with its components (base, VIP, surge, CSAT, clawback, hourly, guarantee top-up; they sum to amount), the rate-card version that priced it, and the period it is booked in. Time earnings (hourly, guarantee_topup) carry minutes_online and the rate or guarantee that explains them. late: booked after its own period closed.';

CREATE OR REPLACE VIEW payouts.agent_period_totals AS
    SELECT e.period_id, p.status AS period_status, e.agent_id, a.display_name, e.currency,
           count(*) AS earnings, count(*) FILTER (WHERE e.event_period_id <> e.period_id) AS late_earnings,
           sum(e.base_minor) AS base_minor, sum(e.vip_minor) AS vip_minor, sum(e.surge_minor) AS surge_minor,
           sum(e.csat_minor) AS csat_minor, sum(e.clawback_minor) AS clawback_minor, sum(e.amount_minor) AS total_minor,
           payouts.to_major(sum(e.amount_minor)::bigint, c.minor_unit_digits) AS total,
           sum(e.hourly_minor) AS hourly_minor, sum(e.guarantee_minor) AS guarantee_minor,
           coalesce(sum(e.minutes_online), 0) AS minutes_online, a.agent_ref
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_periods p USING (period_id)
         JOIN payout_currencies c USING (currency)
    GROUP BY e.period_id, p.status, e.agent_id, a.display_name, a.agent_ref, e.currency, c.minor_unit_digits;

CREATE OR REPLACE VIEW payouts.statement_lines AS
    SELECT l.statement_id, s.period_id, s.agent_id, s.currency, l.line_no, l.earning_id, l.kind, l.conversation_id,
           l.assignment_id, l.offer_id, l.rate_card_version, l.base_minor, l.vip_minor, l.surge_minor, l.csat_minor,
           l.clawback_minor, l.amount_minor, payouts.to_major(l.amount_minor, c.minor_unit_digits) AS amount,
           l.surge_bp, l.csat, l.occurred_at, l.event_period_id, l.late,
           l.hourly_minor, l.guarantee_minor, l.minutes_online, l.rate_per_hour_minor, l.minimum_per_hour_minor,
           l.guaranteed_minor, l.counted_minor, a.agent_ref
    FROM payout_statement_lines l JOIN payout_statements s USING (statement_id) JOIN payout_currencies c USING (currency)
         JOIN payout_agents a ON a.agent_id = s.agent_id;

CREATE OR REPLACE VIEW payouts.agents AS
    SELECT agent_id, display_name, agent_ref FROM payout_agents;

CREATE OR REPLACE VIEW payouts.statements AS
    SELECT s.statement_id, s.period_id, s.agent_id, s.display_name, s.currency, s.total_minor,
           payouts.to_major(s.total_minor, c.minor_unit_digits) AS total, s.line_count, s.created_at, a.agent_ref
    FROM payout_statements s JOIN payout_currencies c USING (currency) JOIN payout_agents a USING (agent_id);

CREATE OR REPLACE VIEW payouts.ledger_entries AS
    SELECT le.entry_id, le.transaction_id, t.kind AS transaction_kind, t.earning_id, t.reverses_transaction_id,
           t.period_id, t.description, t.posted_at, le.account, le.side, le.amount_minor, le.currency, le.component,
           le.agent_id, le.conversation_id, le.assignment_id, le.offer_id, le.rate_card_version, t.instruction_id
    FROM ledger_entries le JOIN ledger_transactions t USING (transaction_id);

CREATE OR REPLACE VIEW payouts.market_totals AS
    SELECT period_id, market, currency, count(DISTINCT agent_id) AS agents,
           count(*) FILTER (WHERE kind = 'resolution') AS resolutions,
           sum(base_minor) AS base_minor, sum(vip_minor) AS vip_minor, sum(surge_minor) AS surge_minor,
           sum(csat_minor) AS csat_minor, sum(clawback_minor) AS clawback_minor, sum(amount_minor) AS total_minor,
           payouts.to_major(sum(amount_minor)::bigint, c.minor_unit_digits) AS total,
           sum(hourly_minor) AS hourly_minor, sum(guarantee_minor) AS guarantee_minor,
           coalesce(sum(minutes_online), 0) AS minutes_online
    FROM payout_earnings JOIN payout_currencies c USING (currency)
    GROUP BY period_id, market, currency, c.minor_unit_digits;

-- What is owed: the payable balance, and how much of it closed statements cover that no live (pending or paid)
-- instruction has taken yet.
CREATE OR REPLACE VIEW payouts.unpaid_balances AS
    WITH uncovered AS (
        SELECT s.agent_id, s.currency, sum(s.total_minor)::bigint AS total_minor
        FROM payout_statements s
        WHERE NOT EXISTS (
            SELECT 1 FROM payout_instruction_statements pis JOIN payout_instructions i USING (instruction_id)
            WHERE pis.statement_id = s.statement_id
              AND NOT EXISTS (SELECT 1 FROM payout_settlements st WHERE st.instruction_id = i.instruction_id
                                                                   AND st.outcome IN ('failed', 'returned')))
        GROUP BY s.agent_id, s.currency
    )
    SELECT a.agent_id, a.display_name, b.currency,
           -b.debit_balance_minor AS payable_minor,
           payouts.to_major(-b.debit_balance_minor, c.minor_unit_digits) AS payable,
           coalesce(u.total_minor, 0)::bigint AS on_statements_minor,
           -b.debit_balance_minor - coalesce(u.total_minor, 0)::bigint AS not_yet_on_statement_minor, a.agent_ref
    FROM payout_agents a
    JOIN payouts.ledger_balances b ON b.account = 'agent_payable:' || a.agent_id
    JOIN payout_currencies c ON c.currency = b.currency
    LEFT JOIN uncovered u ON u.agent_id = a.agent_id AND u.currency = b.currency;
COMMENT ON VIEW payouts.unpaid_balances IS 'What is owed to each agent per currency (credit balance of agent_payable:<agent>), split into closed statements no live payment instruction covers yet and what open periods have added since.';

-- New views: pseudonymous (agent_ref), never names or account numbers.
CREATE VIEW payouts.payout_runs AS
    SELECT r.run_id, r.period_id, r.created_at, r.minimums,
           (SELECT count(*) FROM payout_instructions i WHERE i.run_id = r.run_id) AS instructions,
           (SELECT count(*) FROM payout_carries k WHERE k.run_id = r.run_id) AS carries
    FROM payout_runs r;
COMMENT ON VIEW payouts.payout_runs IS 'One payout run per closed period: when it was made, the minimum payout per currency (minor units) it applied, how many payment instructions and carries it made.';

CREATE VIEW payouts.payment_instructions AS
    SELECT i.instruction_id, i.run_id, r.period_id, a.agent_ref, i.currency, i.amount_minor,
           payouts.to_major(i.amount_minor, c.minor_unit_digits) AS amount,
           (SELECT count(*) FROM payout_instruction_statements s WHERE s.instruction_id = i.instruction_id) AS statements,
           CASE WHEN EXISTS (SELECT 1 FROM payout_settlements s WHERE s.instruction_id = i.instruction_id AND s.outcome = 'returned') THEN 'returned'
                WHEN EXISTS (SELECT 1 FROM payout_settlements s WHERE s.instruction_id = i.instruction_id AND s.outcome = 'failed') THEN 'failed'
                WHEN EXISTS (SELECT 1 FROM payout_settlements s WHERE s.instruction_id = i.instruction_id AND s.outcome = 'paid') THEN 'paid'
                ELSE 'pending' END AS status,
           (SELECT max(s.settled_at) FROM payout_settlements s WHERE s.instruction_id = i.instruction_id) AS status_at,
           (SELECT s.reason FROM payout_settlements s WHERE s.instruction_id = i.instruction_id AND s.outcome <> 'paid'
            ORDER BY s.settled_at DESC LIMIT 1) AS reason,
           i.created_at
    FROM payout_instructions i JOIN payout_runs r USING (run_id) JOIN payout_agents a USING (agent_id)
         JOIN payout_currencies c ON c.currency = i.currency;
COMMENT ON VIEW payouts.payment_instructions IS 'One payment instruction per agent and currency in a run (instruction_id is the end-to-end id in the remittance file), with its status from the bank results: pending, paid, failed or returned (a failed or returned payment is reversed to the payable and paid in a later run).';

CREATE VIEW payouts.payment_instruction_statements AS
    SELECT pis.instruction_id, pis.statement_id, s.period_id, pis.amount_minor
    FROM payout_instruction_statements pis JOIN payout_statements s USING (statement_id);
COMMENT ON VIEW payouts.payment_instruction_statements IS 'Which closed statements each payment instruction pays (their totals add up to the instruction amount).';

CREATE VIEW payouts.payout_carries AS
    SELECT k.run_id, r.period_id, a.agent_ref, k.currency, k.amount_minor,
           payouts.to_major(k.amount_minor, c.minor_unit_digits) AS amount, k.statements, k.reason
    FROM payout_carries k JOIN payout_runs r USING (run_id) JOIN payout_agents a USING (agent_id)
         JOIN payout_currencies c ON c.currency = k.currency;
COMMENT ON VIEW payouts.payout_carries IS 'What a run did not pay and left for a later run: below the currency minimum, or the agent has no payout details. The statements stay unpaid until a run covers them.';

CREATE VIEW payouts.agent_statements AS
    SELECT s.statement_id, s.period_id, a.agent_ref, s.currency, s.total_minor,
           payouts.to_major(s.total_minor, c.minor_unit_digits) AS total, s.line_count,
           (SELECT count(*) FROM payout_statement_lines l WHERE l.statement_id = s.statement_id AND l.kind = 'resolution') AS resolutions,
           (SELECT coalesce(sum(l.minutes_online), 0) FROM payout_statement_lines l WHERE l.statement_id = s.statement_id) AS minutes_online
    FROM payout_statements s JOIN payout_agents a USING (agent_id) JOIN payout_currencies c USING (currency);
COMMENT ON VIEW payouts.agent_statements IS 'Statements with the agent pseudonym (agent_ref) instead of the agent id and name: resolutions and minutes online per statement.';

-- DAC7 (Council Directive (EU) 2021/514): per reportable seller and quarter, the consideration paid or credited,
-- the number of relevant activities, and fees, commissions or taxes withheld or charged by the platform.
--   consideration_credited: earnings booked in periods starting in the quarter (net of clawbacks)
--   consideration_paid:     payment instructions marked paid in the quarter, less those returned in it
--   activities:             resolutions paid (resolution earnings) plus hourly earnings (one per period, market and version)
--   fees_withheld / taxes_withheld: the platform withholds nothing today; the columns are there for the filing.
CREATE VIEW payouts.dac7_quarterly AS
    WITH credited AS (
        SELECT e.agent_id, e.currency, extract(year FROM p.starts_at AT TIME ZONE 'UTC')::int AS year,
               extract(quarter FROM p.starts_at AT TIME ZONE 'UTC')::int AS quarter,
               sum(e.amount_minor)::bigint AS credited_minor,
               count(*) FILTER (WHERE e.kind IN ('resolution', 'hourly'))::bigint AS activities
        FROM payout_earnings e JOIN payout_periods p USING (period_id)
        GROUP BY 1, 2, 3, 4
    ),
    paid AS (
        SELECT i.agent_id, i.currency, extract(year FROM s.settled_at AT TIME ZONE 'UTC')::int AS year,
               extract(quarter FROM s.settled_at AT TIME ZONE 'UTC')::int AS quarter,
               sum(CASE s.outcome WHEN 'paid' THEN i.amount_minor ELSE -i.amount_minor END)::bigint AS paid_minor
        FROM payout_settlements s JOIN payout_instructions i USING (instruction_id)
        WHERE s.outcome = 'paid' OR (s.outcome = 'returned' AND EXISTS (
            SELECT 1 FROM payout_settlements p2 WHERE p2.instruction_id = s.instruction_id AND p2.outcome = 'paid'))
        GROUP BY 1, 2, 3, 4
    ),
    keys AS (SELECT agent_id, currency, year, quarter FROM credited UNION SELECT agent_id, currency, year, quarter FROM paid)
    SELECT a.agent_ref, k.year, k.quarter, k.currency,
           coalesce(cr.credited_minor, 0) AS consideration_credited_minor,
           payouts.to_major(coalesce(cr.credited_minor, 0), c.minor_unit_digits) AS consideration_credited,
           coalesce(pd.paid_minor, 0) AS consideration_paid_minor,
           payouts.to_major(coalesce(pd.paid_minor, 0), c.minor_unit_digits) AS consideration_paid,
           coalesce(cr.activities, 0) AS activities,
           0::bigint AS fees_withheld_minor, 0::bigint AS taxes_withheld_minor
    FROM keys k JOIN payout_agents a USING (agent_id) JOIN payout_currencies c ON c.currency = k.currency
         LEFT JOIN credited cr ON cr.agent_id = k.agent_id AND cr.currency = k.currency AND cr.year = k.year AND cr.quarter = k.quarter
         LEFT JOIN paid pd ON pd.agent_id = k.agent_id AND pd.currency = k.currency AND pd.year = k.year AND pd.quarter = k.quarter;
COMMENT ON VIEW payouts.dac7_quarterly IS 'DAC7 figures per agent (pseudonym agent_ref), year, quarter (UTC) and currency: consideration credited (earnings booked in periods starting in the quarter) and paid (payments marked paid in the quarter, less returns), number of relevant activities (resolutions and hourly earnings), fees and taxes withheld (none today). Sum the quarters for the year; payouts.dac7_yearly does.';

CREATE VIEW payouts.dac7_yearly AS
    SELECT agent_ref, year, currency,
           sum(consideration_credited_minor)::bigint AS consideration_credited_minor,
           sum(consideration_paid_minor)::bigint AS consideration_paid_minor,
           sum(activities)::bigint AS activities,
           sum(fees_withheld_minor)::bigint AS fees_withheld_minor, sum(taxes_withheld_minor)::bigint AS taxes_withheld_minor,
           count(*) FILTER (WHERE consideration_credited_minor <> 0 OR consideration_paid_minor <> 0) AS quarters_with_consideration
    FROM payouts.dac7_quarterly GROUP BY agent_ref, year, currency;
COMMENT ON VIEW payouts.dac7_yearly IS 'DAC7 figures per agent (pseudonym), year and currency: the four quarters of payouts.dac7_quarterly added up.';

-- The one view with identities: who is behind an agent_ref, for reporting to a tax authority or answering an agent.
CREATE VIEW payouts.agent_identities AS
    SELECT a.agent_ref, a.agent_id, a.display_name, d.account_holder,
           left(d.iban, 4) || repeat('*', greatest(length(d.iban) - 8, 0)) || right(d.iban, 4) AS iban_masked,
           d.bic, d.entered_at AS payout_details_since
    FROM payout_agents a
    LEFT JOIN LATERAL (SELECT * FROM agent_payout_details pd WHERE pd.agent_id = a.agent_id
                       ORDER BY pd.details_id DESC LIMIT 1) d ON true;
COMMENT ON VIEW payouts.agent_identities IS 'Maps the pseudonym agent_ref to the agent id, display name and current payout details, with the IBAN masked (first 4 and last 4 characters). The full IBAN is not readable through any view.';
