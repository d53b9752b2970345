-- The event log, shaped after Marten's mt_streams / mt_events (string stream ids).
CREATE SEQUENCE IF NOT EXISTS mt_events_sequence;

CREATE TABLE IF NOT EXISTS mt_streams (
    id          varchar PRIMARY KEY,
    type        varchar NULL,
    version     bigint NOT NULL DEFAULT 0,
    timestamp   timestamptz NOT NULL DEFAULT now(),
    created     timestamptz NOT NULL DEFAULT now(),
    tenant_id   varchar NOT NULL DEFAULT '*DEFAULT*',
    is_archived bool NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS mt_events (
    seq_id         bigint PRIMARY KEY DEFAULT nextval('mt_events_sequence'),
    id             uuid NOT NULL,
    stream_id      varchar NOT NULL REFERENCES mt_streams (id) ON DELETE CASCADE,
    version        bigint NOT NULL,
    data           jsonb NOT NULL,
    type           varchar(500) NOT NULL,
    timestamp      timestamptz NOT NULL DEFAULT now(),
    tenant_id      varchar NOT NULL DEFAULT '*DEFAULT*',
    mt_dotnet_type varchar NULL,
    correlation_id varchar NULL,
    causation_id   varchar NULL,
    headers        jsonb NULL,
    is_archived    bool NOT NULL DEFAULT false,
    CONSTRAINT pk_mt_events_stream_and_version UNIQUE (stream_id, version)
);
ALTER SEQUENCE mt_events_sequence OWNED BY mt_events.seq_id;

CREATE UNIQUE INDEX IF NOT EXISTS idx_mt_events_event_id ON mt_events (id);
CREATE INDEX IF NOT EXISTS idx_mt_events_event_type_seq_id ON mt_events (type, seq_id);

CREATE TABLE IF NOT EXISTS mt_event_progression (
    name         varchar PRIMARY KEY,
    last_seq_id  bigint NULL,
    last_updated timestamptz DEFAULT transaction_timestamp()
);

-- Inline projection: one release-state document per release stream.
CREATE TABLE IF NOT EXISTS rg_release_state (
    stream_id   varchar PRIMARY KEY,
    data        jsonb NOT NULL,
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Inline projection: every X-GitHub-Delivery id seen, written with the events it produced.
CREATE TABLE IF NOT EXISTS rg_deliveries (
    delivery_id  varchar PRIMARY KEY,
    github_event varchar NOT NULL,
    repository   varchar NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);
