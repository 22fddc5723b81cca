-- The hot-path ledger functions run with plan_cache_mode = force_generic_plan: each connection
-- plans their statements once, from the statistics of the moment, and keeps the plans until the
-- tables are analysed again. On a new installation the tables are empty and never analysed, so the
-- planner takes each for ten pages and picks sequential scans: the settlement scanned ledger_holds
-- twice and ledger_transfers once per call, slower with every row, until autovacuum first analysed
-- the tables (measured on a new cluster: the settlement's main statement took 2.1 to 4.7 ms where
-- it takes 0.35 to 0.45, until the first autoanalyze 35 s in). Every row these functions read or
-- lock is found by a key with an index (ids, idempotency keys, hold ids, wallet owners), and an
-- index probe is right for a handful of rows whatever the table's size: with sequential scans off
-- they plan the same on an empty table as on a large one. The expiry sweep
-- (ledger_settle_holds_custom, batches over 500 holds, planned per call) keeps the planner's
-- free choice.
ALTER FUNCTION ledger_settle_holds_generic(bigint[], bigint[], text, timestamptz, boolean) SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_place_holds(jsonb, boolean) SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_place_hold(uuid, uuid, bigint, bigint, text, text, timestamptz, timestamptz, text, uuid, uuid, bigint, timestamptz, bigint, timestamptz, boolean) SET enable_seqscan = off;
--> statement-breakpoint
ALTER FUNCTION ledger_transfer(bigint, bigint, bigint, text, text, text, text, timestamptz) SET enable_seqscan = off;
