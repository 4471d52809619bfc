-- 0070 (this branch numbers its migrations 0070-0079): a relay sweeps only its own producers' rows, so the claimable
-- rows are indexed by producer first, in the order the sweep claims them. A claim then reads at most a batch of rows
-- whatever the backlog and whatever plan PostgreSQL picks: with outbox_claimable (claimed_until, id) and the producer
-- as a filter, a custom plan (a session without plan_cache_mode = force_generic_plan) sorted every unsent row of the
-- producer instead (measured: 20,000 rows read for a batch of 1,000).
CREATE INDEX outbox_claimable_by_producer ON outbox (producer, claimed_until, id) WHERE sent_at IS NULL;
DROP INDEX IF EXISTS outbox_claimable;
