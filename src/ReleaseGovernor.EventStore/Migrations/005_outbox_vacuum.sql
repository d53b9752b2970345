-- The outbox is a queue: every item is inserted, leased and completed within seconds, and each step leaves a dead row
-- version and dead entries in the pending indexes. A claim walks those indexes lane by lane, so between two vacuums its
-- cost grows with the churn (measured: 22 ms per claim under the ingest benchmark's load, 5.8 ms just after a vacuum).
-- Vacuum the table after every 2,000 changed rows whatever its size, without throttling, and leave room on each page
-- for the new version of a row, so the lease update can stay on its page.
ALTER TABLE rg_outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
                           autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 2000,
                           autovacuum_analyze_scale_factor = 0.05, autovacuum_vacuum_cost_delay = 0, fillfactor = 80);

-- Pending items are found by lane (idx_rg_outbox_lane_pending). The index by due time had the same predicate, and with
-- statistics taken while the queue was empty the planner preferred it for the lane lookups, scanning every pending row
-- once per lane (measured: 0.28 ms per lane instead of 0.01 ms). Nothing needs items in due-time order.
DROP INDEX IF EXISTS idx_rg_outbox_pending;
