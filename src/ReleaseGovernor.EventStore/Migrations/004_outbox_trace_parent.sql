-- Traces follow work through the outbox: each row keeps the W3C traceparent of the span that enqueued it (the webhook
-- request, or the item whose processing enqueued it), and processing the row continues that trace. NULL when nothing
-- was traced: rows written before this script, by a replica of an earlier version, or with tracing off.
ALTER TABLE rg_outbox ADD COLUMN IF NOT EXISTS trace_parent text NULL;
