-- 0006: the outbox sweep finds claimable rows through an index instead of scanning every unsent row.
-- A row nobody has claimed gets claimed_until = '-infinity' (not NULL), so "claimable" is one range condition.
UPDATE outbox SET claimed_until = '-infinity' WHERE claimed_until IS NULL;
ALTER TABLE outbox ALTER COLUMN claimed_until SET DEFAULT '-infinity', ALTER COLUMN claimed_until SET NOT NULL;
CREATE INDEX outbox_claimable ON outbox (claimed_until, id) WHERE sent_at IS NULL;
