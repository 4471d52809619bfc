-- 0050: least privilege. One NOLOGIN group role per worker with exactly the privileges its statements need; the
-- login roles (with passwords) are created outside the migrations (scripts/services, or your database's admin) as
-- members of these groups: `CREATE ROLE concierge_payout LOGIN PASSWORD '…' IN ROLE concierge_worker_payout`.
-- The migration owner (the role `conciergectl migrate` runs as) owns every table; no worker owns anything, so no
-- worker can ALTER, DISABLE TRIGGER, DROP or TRUNCATE (TRUNCATE is granted to none of them).
--
-- This file is the one place the grants live. A table added later needs, in a later migration (0051+ or the adding
-- branch's own), one GRANT per worker role that reads or writes it (and USAGE on its sequences), e.g.
--     GRANT SELECT, INSERT ON dead_letters TO concierge_worker_classifier, …;
-- and a row in the erasure / retention coverage (0052) when it holds customer text. RoleTests names every table of
-- the schema and fails for a table no role was considered for.

-- Group roles are per cluster: created here when missing (several databases of one cluster may migrate at the same
-- moment, so a concurrent creation is tolerated), usually already there from scripts/services.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['concierge_worker_classifier', 'concierge_worker_responder',
                                'concierge_worker_escalation', 'concierge_worker_payout'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END $$;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15's default, made explicit).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO concierge_worker_classifier, concierge_worker_responder, concierge_worker_escalation,
    concierge_worker_payout;

-- The runtime every worker shares: inbox (dedup), outbox (relay claims, marks sent, deletes), delivery attempts
-- (poison counting), the schema version check.
GRANT SELECT, INSERT ON inbox TO concierge_worker_classifier, concierge_worker_responder, concierge_worker_escalation,
    concierge_worker_payout;
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO concierge_worker_classifier, concierge_worker_responder,
    concierge_worker_escalation, concierge_worker_payout;
GRANT USAGE ON SEQUENCE outbox_id_seq TO concierge_worker_classifier, concierge_worker_responder,
    concierge_worker_escalation, concierge_worker_payout;
GRANT SELECT, INSERT, UPDATE, DELETE ON delivery_attempts TO concierge_worker_classifier, concierge_worker_responder,
    concierge_worker_escalation, concierge_worker_payout;
GRANT SELECT ON schema_migrations TO concierge_worker_classifier, concierge_worker_responder,
    concierge_worker_escalation, concierge_worker_payout;

-- Classifier: reads customers, records conversations, inquiries and routing decisions.
GRANT SELECT ON customers TO concierge_worker_classifier;
GRANT SELECT, INSERT, UPDATE ON conversations TO concierge_worker_classifier;
GRANT SELECT, INSERT ON inquiries, routing_decisions TO concierge_worker_classifier;
GRANT SELECT, INSERT ON transcript_entries TO concierge_worker_classifier;

-- Responder (the worker that talks to an external LLM): reads the account facts, never writes them; writes its own
-- replies and hand-offs and the conversation's transcript.
GRANT SELECT ON customers, purchases, payment_plans, instalments, payments, refunds, inquiries TO concierge_worker_responder;
GRANT SELECT, INSERT ON ai_replies, ai_handoffs TO concierge_worker_responder;
GRANT SELECT, INSERT, UPDATE ON conversations TO concierge_worker_responder;
GRANT SELECT, INSERT ON transcript_entries TO concierge_worker_responder;

-- Escalation: the human lane (agents, offers, assignments, messages, feedback), the facts an agent is shown, the
-- rate cards it quotes pay from.
GRANT SELECT ON customers, purchases, payment_plans, instalments, payments, refunds, inquiries, ai_replies, ai_handoffs,
    routing_decisions TO concierge_worker_escalation;
GRANT SELECT, INSERT, UPDATE ON agents, escalations, offers, assignments, conversations TO concierge_worker_escalation;
GRANT SELECT, INSERT ON agent_status_history, agent_applications, agent_messages, agent_feedback, transcript_entries
    TO concierge_worker_escalation;
GRANT SELECT ON payout_rate_cards, payout_currencies TO concierge_worker_escalation;

-- Payout: appends to the ledger and its own tables. INSERT and SELECT only on the ledger; UPDATE only where a row
-- legitimately changes (an agent's display name, a period opened or locked FOR SHARE/UPDATE while booking).
GRANT SELECT ON agents, customers TO concierge_worker_payout;
GRANT SELECT, INSERT ON payout_currencies, payout_rate_cards, payout_assignments, payout_feedback, payout_reopens,
    payout_earnings, payout_statements, payout_statement_lines, ledger_transactions, ledger_entries
    TO concierge_worker_payout;
GRANT SELECT, INSERT, UPDATE ON payout_agents, payout_periods TO concierge_worker_payout;
GRANT USAGE ON SEQUENCE ledger_transactions_transaction_id_seq, ledger_entries_entry_id_seq TO concierge_worker_payout;
