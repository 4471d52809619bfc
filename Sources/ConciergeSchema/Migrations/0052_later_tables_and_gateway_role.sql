-- 0052: the grants 0050 could not hold because the tables came from branches that landed beside it (0020 dead
-- letters, 0030 paying agents, 0040 the agent app), and the agent gateway's own role.
--
-- Tables no worker touches stay the migration owner's alone: dead_letters (conciergectl dead-letters), the payout
-- runs, instructions, settlements, carries and payout details (conciergectl payouts pay/settle/details), and
-- customer_erasures (conciergectl customers erase). Those commands run as the owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'concierge_worker_agent_gateway') THEN
        BEGIN
            CREATE ROLE concierge_worker_agent_gateway NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END $$;

-- Escalation: the presence record hourly pay is counted from (a session is opened, and later ended once).
GRANT SELECT, INSERT, UPDATE ON agent_presence_sessions TO concierge_worker_escalation;
GRANT USAGE ON SEQUENCE agent_presence_sessions_session_id_seq TO concierge_worker_escalation;

-- The agent gateway: its own credentials and sessions (sign-in counts failures and locks; sign-out and expiry delete
-- sessions; issuing credentials is conciergectl's, as the owner), and reads of what an agent is shown: their agent
-- row, offers, assignments, the conversation's transcript, the customer's first name and market, the earnings views.
-- It writes nothing else: every change goes to the workers as an AMQP event.
GRANT USAGE ON SCHEMA public TO concierge_worker_agent_gateway;
GRANT SELECT, UPDATE ON agent_credentials TO concierge_worker_agent_gateway;
GRANT SELECT, INSERT, DELETE ON agent_sessions TO concierge_worker_agent_gateway;
GRANT SELECT ON agents, customers, offers, escalations, assignments, transcript_entries, payout_currencies
    TO concierge_worker_agent_gateway;
GRANT USAGE ON SCHEMA payouts TO concierge_worker_agent_gateway;
GRANT SELECT ON payouts.earnings, payouts.agent_period_totals, payouts.statements TO concierge_worker_agent_gateway;
