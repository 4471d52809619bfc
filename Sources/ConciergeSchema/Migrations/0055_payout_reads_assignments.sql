-- The payout worker no longer trusts what a conversation.resolved.v1 says it pays: it re-derives the surge the agent
-- was offered, the VIP premium, the complexity and the outcome from the escalation worker's records of that
-- assignment (issue 17), and dead-letters an event they contradict. It reads only the columns it compares: not the
-- escalation's preview or summary (customer text).
GRANT SELECT (assignment_id, escalation_id, offer_id, conversation_id, agent_id, customer_id, state, outcome, surge_bp)
    ON assignments TO concierge_worker_payout;
GRANT SELECT (escalation_id, vip, complexity) ON escalations TO concierge_worker_payout;
