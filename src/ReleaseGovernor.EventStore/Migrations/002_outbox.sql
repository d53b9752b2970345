-- Work to do after a commit: processing of received facts and effects on GitHub. Written in the same
-- transaction as the events that call for it; claimed by workers with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE IF NOT EXISTS rg_outbox (
    id             bigserial PRIMARY KEY,
    kind           varchar NOT NULL,
    stream_id      varchar NOT NULL,
    dedupe_key     varchar NULL,
    payload        jsonb NOT NULL,
    correlation_id varchar NULL,
    causation_id   varchar NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    available_at   timestamptz NOT NULL DEFAULT now(),
    attempts       int NOT NULL DEFAULT 0,
    lease_owner    varchar NULL,
    lease_until    timestamptz NULL,
    completed_at   timestamptz NULL,
    last_error     text NULL,
    CONSTRAINT uq_rg_outbox_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX IF NOT EXISTS idx_rg_outbox_pending ON rg_outbox (available_at, id) WHERE completed_at IS NULL;
