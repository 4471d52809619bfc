-- 0060: the outcome of every conversation, measured as the industry measures an AI "resolution" (Intercom, Zendesk,
-- Ada): an AI-answered conversation is resolved only when, within a window after the AI's first answer, the customer
-- neither asked for a person, nor was handed off, nor came back about the same intent in another conversation.
-- Until the window closes it is pending. Read-only: computed from routing_decisions, inquiries, ai_replies,
-- ai_handoffs, escalations and agent_feedback; nothing on the hot path writes anything new.
--
-- conversation_outcomes(since, until, window, as_of): one row per conversation whose first inquiry was routed in
-- [since, until).
--   lane             'ai' when its first inquiry was routed to the AI, else 'human'
--   intent           the intent of the AI's first answer, else of the first routing decision (NULL when unknown)
--   ai_answered      the AI sent at least one answer (not only a clarifying question)
--   outcome          ai lane:    resolved | pending | repeat | handed_off | unanswered (AI-routed, no answer, no hand-off)
--                    human lane: human
--   handoff_reason   why it went to a person: the responder's hand-off reason, 'asked_for_human', or the classifier's
--                    first reason without its detail (vip, distress, sensitive, intent, low_confidence, language...)
--   repeat_contact   the customer came back about the same intent in another conversation within the window
--   first_response_ms  first inquiry received -> first AI reply (ai lane) or first agent response/assignment (human)
--   resolution_ms    first inquiry received -> the resolving AI answer (resolved) or the escalation's resolution
--   human_wait_ms    joining the human waiting line -> assigned to a person
--   sla_breached     the human lane missed its SLA target
--   csat             the customer's rating (1..5) when given
CREATE FUNCTION conversation_outcomes(p_since timestamptz, p_until timestamptz, p_window interval, p_as_of timestamptz)
RETURNS TABLE (
    conversation_id   text,
    customer_id       text,
    lane              text,
    intent            text,
    language          text,
    started_at        timestamptz,
    ai_answered       boolean,
    outcome           text,
    handoff_reason    text,
    repeat_contact    boolean,
    first_response_ms bigint,
    resolution_ms     bigint,
    human_wait_ms     bigint,
    sla_breached      boolean,
    csat              integer
)
LANGUAGE sql STABLE AS $$
WITH first_decisions AS (
    SELECT DISTINCT ON (d.conversation_id)
           d.conversation_id, d.customer_id, d.route, d.intent, d.reasons, d.decided_at, i.received_at, i.language
    FROM routing_decisions d JOIN inquiries i ON i.message_id = d.message_id
    ORDER BY d.conversation_id, d.decided_at, d.message_id
),
started AS (
    SELECT * FROM first_decisions WHERE decided_at >= p_since AND decided_at < p_until
),
replies AS (
    SELECT r.conversation_id,
           min(r.created_at) AS first_reply_at,
           min(r.created_at) FILTER (WHERE r.kind = 'answer') AS answered_at,
           (array_agg(r.intent ORDER BY r.created_at) FILTER (WHERE r.kind = 'answer'))[1] AS answer_intent
    FROM ai_replies r JOIN started s USING (conversation_id)
    GROUP BY r.conversation_id
),
anchored AS (
    SELECT s.*, r.first_reply_at, r.answered_at, coalesce(r.answer_intent, s.intent) AS conversation_intent,
           coalesce(r.answered_at, s.decided_at) AS anchor_at
    FROM started s LEFT JOIN replies r USING (conversation_id)
),
escalated AS (
    SELECT e.conversation_id, min(e.enqueued_at) AS enqueued_at, min(e.assigned_at) AS assigned_at,
           min(coalesce(e.first_response_at, e.assigned_at)) AS first_human_response_at, max(e.resolved_at) AS resolved_at,
           bool_or(e.sla_breached) AS sla_breached
    FROM escalations e JOIN started s USING (conversation_id)
    GROUP BY e.conversation_id
),
handed AS (
    -- The first way the conversation reached a person within the window (the responder's hand-off reason first).
    SELECT a.conversation_id,
           coalesce(
               (SELECT h.reason FROM ai_handoffs h
                 WHERE h.conversation_id = a.conversation_id AND h.created_at <= a.anchor_at + p_window
                 ORDER BY h.created_at LIMIT 1),
               (SELECT CASE WHEN 'asked_for_human' = ANY (d.reasons) THEN 'asked_for_human'
                            ELSE split_part(d.reasons[1], ':', 1) END
                  FROM routing_decisions d
                 WHERE d.conversation_id = a.conversation_id AND d.route <> 'ai' AND d.decided_at <= a.anchor_at + p_window
                 ORDER BY d.decided_at LIMIT 1),
               (SELECT 'escalated' FROM escalations e
                 WHERE e.conversation_id = a.conversation_id AND e.enqueued_at <= a.anchor_at + p_window LIMIT 1)
           ) AS reason
    FROM anchored a
),
repeats AS (
    SELECT a.conversation_id,
           EXISTS (
               SELECT 1 FROM routing_decisions d
               WHERE d.customer_id = a.customer_id AND d.conversation_id <> a.conversation_id
                 AND d.intent = a.conversation_intent
                 AND d.decided_at > a.anchor_at AND d.decided_at <= a.anchor_at + p_window
           ) AS repeat_contact
    FROM anchored a
),
ratings AS (
    SELECT f.conversation_id, (array_agg(f.csat ORDER BY f.submitted_at))[1] AS csat
    FROM agent_feedback f JOIN started s USING (conversation_id)
    GROUP BY f.conversation_id
)
SELECT a.conversation_id, a.customer_id,
       CASE WHEN a.route = 'ai' THEN 'ai' ELSE 'human' END AS lane,
       a.conversation_intent AS intent, a.language, a.decided_at AS started_at,
       a.answered_at IS NOT NULL AS ai_answered,
       CASE
           WHEN a.route <> 'ai' THEN 'human'
           WHEN h.reason IS NOT NULL THEN 'handed_off'
           WHEN a.answered_at IS NULL THEN 'unanswered'
           WHEN r.repeat_contact THEN 'repeat'
           WHEN p_as_of < a.anchor_at + p_window THEN 'pending'
           ELSE 'resolved'
       END AS outcome,
       h.reason AS handoff_reason,
       r.repeat_contact,
       (extract(epoch FROM CASE WHEN a.route = 'ai' THEN a.first_reply_at ELSE e.first_human_response_at END - a.received_at)
           * 1000)::bigint AS first_response_ms,
       (extract(epoch FROM CASE
           WHEN a.route = 'ai' AND h.reason IS NULL AND NOT r.repeat_contact AND a.answered_at IS NOT NULL
                AND p_as_of >= a.anchor_at + p_window THEN a.answered_at
           WHEN h.reason IS NOT NULL OR a.route <> 'ai' THEN e.resolved_at
       END - a.received_at) * 1000)::bigint AS resolution_ms,
       (extract(epoch FROM e.assigned_at - e.enqueued_at) * 1000)::bigint AS human_wait_ms,
       coalesce(e.sla_breached, false) AS sla_breached,
       g.csat
FROM anchored a
JOIN handed h USING (conversation_id)
JOIN repeats r USING (conversation_id)
LEFT JOIN escalated e USING (conversation_id)
LEFT JOIN ratings g USING (conversation_id)
$$;
