-- The governor's own tables next to Marten's event store (Marten creates and upgrades mt_* itself).
-- Databases of earlier releases also hold rg_release_state, the release state before Marten snapshots: it is kept
-- as it was and no longer written.
-- Every X-GitHub-Delivery id seen, written in the transaction of the events it produced (the dedupe).
CREATE TABLE IF NOT EXISTS rg_deliveries (
    delivery_id  varchar PRIMARY KEY,
    github_event varchar NOT NULL,
    repository   varchar NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
