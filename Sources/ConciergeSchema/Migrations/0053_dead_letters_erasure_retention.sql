-- 0053: erasure and retention (0051) also cover the dead-letter archive (0020), which landed beside them: an archived
-- dead letter keeps the whole message body (customer text included) for a replay. Both functions are replaced whole;
-- what they did before is unchanged.

CREATE OR REPLACE FUNCTION concierge_erase_customer(p_customer text, p_source text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    r         text := concierge_redacted();
    counts    jsonb := '{}';
    n         bigint;
    convs     text[];
    needle    text := '"' || p_customer || '"';
BEGIN
    SELECT coalesce(array_agg(conversation_id), '{}') INTO convs FROM conversations WHERE customer_id = p_customer;
    SELECT coalesce(array_agg(DISTINCT conversation_id), '{}') || convs INTO convs FROM inquiries WHERE customer_id = p_customer;

    UPDATE inquiries SET text = r WHERE customer_id = p_customer AND text <> r;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('inquiries', n);
    UPDATE transcript_entries SET text = r WHERE conversation_id = ANY(convs) AND text <> r;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('transcript_entries', n);
    UPDATE ai_replies SET text = r, facts = '[]' WHERE (customer_id = p_customer OR conversation_id = ANY(convs)) AND (text <> r OR facts <> '[]');
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('ai_replies', n);
    UPDATE ai_handoffs SET summary = r, facts = '[]', ai_reply = CASE WHEN ai_reply IS NULL THEN NULL ELSE r END
        WHERE (customer_id = p_customer OR conversation_id = ANY(convs)) AND (summary <> r OR facts <> '[]');
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('ai_handoffs', n);
    UPDATE agent_messages SET text = r WHERE conversation_id = ANY(convs) AND text <> r;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('agent_messages', n);
    UPDATE escalations SET preview = CASE WHEN preview = '' THEN '' ELSE r END,
                           summary = CASE WHEN summary = '' THEN '' ELSE r END, facts = '[]'
        WHERE (customer_id = p_customer OR conversation_id = ANY(convs))
          AND (preview NOT IN ('', r) OR summary NOT IN ('', r) OR facts <> '[]');
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('escalations', n);
    UPDATE conversations SET pending_clarification = NULL WHERE conversation_id = ANY(convs) AND pending_clarification IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('conversations', n);
    -- Sent messages only: an unsent row is still owed to the broker (nothing lost); it is sent, then pruned.
    UPDATE outbox SET body = '{"redacted":true}'
        WHERE sent_at IS NOT NULL AND body <> '{"redacted":true}'
          AND (strpos(body, needle) > 0 OR EXISTS (SELECT FROM unnest(convs) c WHERE strpos(body, '"' || c || '"') > 0));
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('outbox', n);

    -- The account facts copies.
    DELETE FROM instalments WHERE plan_id IN (SELECT plan_id FROM payment_plans WHERE purchase_id IN
        (SELECT purchase_id FROM purchases WHERE customer_id = p_customer));
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('instalments', n);
    DELETE FROM payment_plans WHERE purchase_id IN (SELECT purchase_id FROM purchases WHERE customer_id = p_customer);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('payment_plans', n);
    DELETE FROM payments WHERE customer_id = p_customer OR purchase_id IN (SELECT purchase_id FROM purchases WHERE customer_id = p_customer);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('payments', n);
    DELETE FROM refunds WHERE customer_id = p_customer OR purchase_id IN (SELECT purchase_id FROM purchases WHERE customer_id = p_customer);
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('refunds', n);
    DELETE FROM purchases WHERE customer_id = p_customer;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('purchases', n);

    -- The name. An agent who is this customer keeps agent id, ratings and earnings; only the name goes.
    UPDATE customers SET display_name = r WHERE customer_id = p_customer AND display_name <> r;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('customers', n);
    UPDATE payout_agents SET display_name = NULL
        WHERE agent_id IN (SELECT agent_id FROM agents WHERE customer_id = p_customer) AND display_name IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('payout_agents', n);
    UPDATE agents SET display_name = NULL WHERE customer_id = p_customer AND display_name IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('agents', n);

    -- Archived dead letters (0020) keep the message's body for a replay: a body naming the customer or one of their
    -- conversations is replaced by a redaction marker (its headers keep the reason and the ids).
    UPDATE dead_letters SET body = convert_to('{"redacted":true}', 'UTF8')
        WHERE body <> convert_to('{"redacted":true}', 'UTF8')
          AND (position(convert_to(needle, 'UTF8') IN body) > 0
               OR EXISTS (SELECT FROM unnest(convs) c WHERE position(convert_to('"' || c || '"', 'UTF8') IN body) > 0));
    GET DIAGNOSTICS n = ROW_COUNT; counts := counts || jsonb_build_object('dead_letters', n);

    INSERT INTO customer_erasures (customer_id, source, counts) VALUES (p_customer, p_source, counts)
    ON CONFLICT (customer_id) DO UPDATE SET last_erased_at = now(), runs = customer_erasures.runs + 1;
    RETURN counts;
END $$;

CREATE OR REPLACE FUNCTION concierge_retention_batch(p_table text, p_cutoff timestamptz, p_batch integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    r text := concierge_redacted();
    n bigint;
BEGIN
    CASE p_table
    WHEN 'inquiries' THEN
        UPDATE inquiries SET text = r WHERE message_id IN (
            SELECT message_id FROM inquiries WHERE received_at < p_cutoff AND text <> r LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'transcript_entries' THEN
        UPDATE transcript_entries SET text = r WHERE message_id IN (
            SELECT message_id FROM transcript_entries WHERE at < p_cutoff AND text <> r LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'ai_replies' THEN
        UPDATE ai_replies SET text = r, facts = '[]' WHERE reply_id IN (
            SELECT reply_id FROM ai_replies WHERE created_at < p_cutoff AND text <> r LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'ai_handoffs' THEN
        UPDATE ai_handoffs SET summary = r, facts = '[]', ai_reply = CASE WHEN ai_reply IS NULL THEN NULL ELSE r END
        WHERE inquiry_id IN (
            SELECT inquiry_id FROM ai_handoffs WHERE created_at < p_cutoff AND summary <> r LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'agent_messages' THEN
        UPDATE agent_messages SET text = r WHERE message_id IN (
            SELECT message_id FROM agent_messages WHERE received_at < p_cutoff AND text <> r LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'escalations' THEN
        UPDATE escalations SET preview = CASE WHEN preview = '' THEN '' ELSE r END,
                               summary = CASE WHEN summary = '' THEN '' ELSE r END, facts = '[]'
        WHERE escalation_id IN (
            SELECT escalation_id FROM escalations
            WHERE enqueued_at < p_cutoff AND state = 'resolved'
              AND (preview NOT IN ('', r) OR summary NOT IN ('', r) OR facts <> '[]')
            LIMIT p_batch FOR UPDATE SKIP LOCKED);
    WHEN 'dead_letters' THEN
        UPDATE dead_letters SET body = convert_to('{"redacted":true}', 'UTF8') WHERE id IN (
            SELECT id FROM dead_letters WHERE dead_lettered_at < p_cutoff AND body <> convert_to('{"redacted":true}', 'UTF8')
            LIMIT p_batch FOR UPDATE SKIP LOCKED);
    ELSE
        RAISE EXCEPTION 'retention: unknown table %', p_table USING ERRCODE = '22023';
    END CASE;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

CREATE INDEX dead_letters_retention ON dead_letters (dead_lettered_at);

REVOKE ALL ON FUNCTION concierge_erase_customer(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION concierge_retention_batch(text, timestamptz, integer) FROM PUBLIC;
