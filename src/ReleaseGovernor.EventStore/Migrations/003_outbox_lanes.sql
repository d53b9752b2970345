-- Fair claims: each outbox row names the repository and installation whose work it is, so a claim takes turns
-- between installations and repositories and caps how many items of one repository are in flight at once.
-- Both columns may stay NULL: such a row (written before this script, or by a replica of an earlier version during
-- a rolling upgrade) waits in a lane of its own stream and of no installation. No existing row is changed otherwise.
ALTER TABLE rg_outbox ADD COLUMN IF NOT EXISTS repository varchar NULL;
ALTER TABLE rg_outbox ADD COLUMN IF NOT EXISTS installation_id bigint NULL;

-- Pending effects and evaluations name their repository and installation in the payload.
UPDATE rg_outbox
SET repository = lower(payload->>'repository'),
    installation_id = CASE WHEN payload->>'installation_id' ~ '^[0-9]{1,18}$' THEN (payload->>'installation_id')::bigint END
WHERE completed_at IS NULL AND repository IS NULL AND jsonb_typeof(payload->'repository') = 'string';

-- Pending process_event rows: the repository stream of the event they name, and the installation of its delivery.
UPDATE rg_outbox o
SET repository = substr(e.stream_id, length('repo/') + 1),
    installation_id = CASE WHEN e.headers->>'installation_id' ~ '^[0-9]{1,18}$' THEN (e.headers->>'installation_id')::bigint END
FROM mt_events e
WHERE o.completed_at IS NULL AND o.repository IS NULL AND o.kind = 'process_event'
  AND e.seq_id = CASE WHEN o.payload->>'sequence' ~ '^[0-9]{1,18}$' THEN (o.payload->>'sequence')::bigint END
  AND e.stream_id LIKE 'repo/%';

-- A claim reads the pending lanes one by one (a skip scan of this index) and at most a few items of each, and the
-- leased rows, instead of the whole backlog.
CREATE INDEX IF NOT EXISTS idx_rg_outbox_lane_pending ON rg_outbox ((coalesce(repository, stream_id)), id) WHERE completed_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_rg_outbox_leased ON rg_outbox (lease_until) WHERE completed_at IS NULL AND lease_until IS NOT NULL;
