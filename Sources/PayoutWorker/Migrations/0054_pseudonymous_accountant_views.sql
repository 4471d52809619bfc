-- 0054: the accountants' views are pseudonymous by default. The views of 0005 (extended by 0030) still carried the
-- agent's display name; names (and masked payout details) are now only in payouts.agent_identities, the one view
-- with identities, which maps agent_ref to the agent. Each view is recreated with the same columns minus
-- display_name (a column cannot be dropped with CREATE OR REPLACE). The accountant role reads them through 0030's
-- default privileges; the agent gateway's grants (0052) are given again.

DROP VIEW payouts.earnings, payouts.agent_period_totals, payouts.agents, payouts.statements, payouts.unpaid_balances;

CREATE VIEW payouts.earnings AS
    SELECT e.earning_id, e.kind, e.agent_id, e.conversation_id, e.assignment_id, e.offer_id,
           e.market, e.currency, e.rate_card_version, pa.complexity, pa.vip, e.base_minor, e.vip_minor, e.surge_minor, e.csat_minor,
           e.clawback_minor, e.amount_minor, payouts.to_major(e.amount_minor, c.minor_unit_digits) AS amount,
           e.surge_bp, e.csat, e.occurred_at, e.event_period_id, e.period_id,
           e.event_period_id <> e.period_id AS late, e.created_at,
           e.hourly_minor, e.guarantee_minor, e.minutes_online, e.rate_per_hour_minor, e.minimum_per_hour_minor,
           e.guaranteed_minor, e.counted_minor, a.agent_ref
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_currencies c USING (currency)
         LEFT JOIN payout_assignments pa USING (assignment_id);
COMMENT ON VIEW payouts.earnings IS 'Every earning with its components (base, VIP, surge, CSAT, clawback, hourly, guarantee top-up; they sum to amount), the rate-card version that priced it, and the period it is booked in. Time earnings (hourly, guarantee_topup) carry minutes_online and the rate or guarantee that explains them. late: booked after its own period closed.';

CREATE VIEW payouts.agent_period_totals AS
    SELECT e.period_id, p.status AS period_status, e.agent_id, e.currency,
           count(*) AS earnings, count(*) FILTER (WHERE e.event_period_id <> e.period_id) AS late_earnings,
           sum(e.base_minor) AS base_minor, sum(e.vip_minor) AS vip_minor, sum(e.surge_minor) AS surge_minor,
           sum(e.csat_minor) AS csat_minor, sum(e.clawback_minor) AS clawback_minor, sum(e.amount_minor) AS total_minor,
           payouts.to_major(sum(e.amount_minor)::bigint, c.minor_unit_digits) AS total,
           sum(e.hourly_minor) AS hourly_minor, sum(e.guarantee_minor) AS guarantee_minor,
           coalesce(sum(e.minutes_online), 0) AS minutes_online, a.agent_ref
    FROM payout_earnings e JOIN payout_agents a USING (agent_id) JOIN payout_periods p USING (period_id)
         JOIN payout_currencies c USING (currency)
    GROUP BY e.period_id, p.status, e.agent_id, a.agent_ref, e.currency, c.minor_unit_digits;
COMMENT ON VIEW payouts.agent_period_totals IS 'Per agent, period and currency: earnings by component and the total (open periods are still moving).';

CREATE VIEW payouts.agents AS
    SELECT agent_id, agent_ref FROM payout_agents;
COMMENT ON VIEW payouts.agents IS 'Agents who have earnings: id and pseudonym (agent_ref); names are in agent_identities. No other personal data.';

CREATE VIEW payouts.statements AS
    SELECT s.statement_id, s.period_id, s.agent_id, s.currency, s.total_minor,
           payouts.to_major(s.total_minor, c.minor_unit_digits) AS total, s.line_count, s.created_at, a.agent_ref
    FROM payout_statements s JOIN payout_currencies c USING (currency) JOIN payout_agents a USING (agent_id);
COMMENT ON VIEW payouts.statements IS 'One immutable statement per agent and currency for each closed period.';

CREATE VIEW payouts.unpaid_balances AS
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
    SELECT a.agent_id, b.currency,
           -b.debit_balance_minor AS payable_minor,
           payouts.to_major(-b.debit_balance_minor, c.minor_unit_digits) AS payable,
           coalesce(u.total_minor, 0)::bigint AS on_statements_minor,
           -b.debit_balance_minor - coalesce(u.total_minor, 0)::bigint AS not_yet_on_statement_minor, a.agent_ref
    FROM payout_agents a
    JOIN payouts.ledger_balances b ON b.account = 'agent_payable:' || a.agent_id
    JOIN payout_currencies c ON c.currency = b.currency
    LEFT JOIN uncovered u ON u.agent_id = a.agent_id AND u.currency = b.currency;
COMMENT ON VIEW payouts.unpaid_balances IS 'What is owed to each agent per currency (credit balance of agent_payable:<agent>), split into closed statements no live payment instruction covers yet and what open periods have added since.';

GRANT SELECT ON payouts.earnings, payouts.agent_period_totals, payouts.statements TO concierge_worker_agent_gateway;
