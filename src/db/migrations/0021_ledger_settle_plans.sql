-- ledger_settle_holds planned its statements afresh on every call (PostgreSQL's custom plans):
-- about 1 ms of a 1.7 ms settlement of one hold went on planning its big CTE. A generic plan, made
-- once per connection, settles one hold in 0.75 ms; but it assumes a ten-element batch and joins the
-- CTEs by nested loops, quadratic in the batch, so a 100,000-hold expiry sweep would take minutes.
-- So the body is kept once, as ledger_settle_holds_body, and ledger_settle_holds picks the planning
-- by the batch's size: generic up to 500 holds (the settlement queue's batches), custom above.
-- plan_cache_mode set on a wrapper holds while the wrapper runs, the body's statements included,
-- and is restored when it returns, so the rest of the caller's transaction plans as before.
ALTER FUNCTION ledger_settle_holds(bigint[], bigint[], text, timestamptz, boolean) RENAME TO ledger_settle_holds_body;
--> statement-breakpoint
CREATE FUNCTION ledger_settle_holds_generic(
  p_ids bigint[], p_amounts bigint[], p_status text, p_now timestamptz, p_fast_commit boolean
) RETURNS TABLE (hold_id bigint, outcome text, transfer_id bigint, posted_amount bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN QUERY SELECT * FROM ledger_settle_holds_body(p_ids, p_amounts, p_status, p_now, p_fast_commit);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_settle_holds_custom(
  p_ids bigint[], p_amounts bigint[], p_status text, p_now timestamptz, p_fast_commit boolean
) RETURNS TABLE (hold_id bigint, outcome text, transfer_id bigint, posted_amount bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  RETURN QUERY SELECT * FROM ledger_settle_holds_body(p_ids, p_amounts, p_status, p_now, p_fast_commit);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_settle_holds(
  p_ids bigint[], p_amounts bigint[], p_status text, p_now timestamptz, p_fast_commit boolean
) RETURNS TABLE (hold_id bigint, outcome text, transfer_id bigint, posted_amount bigint)
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(p_ids), 0) <= 500 THEN
    RETURN QUERY SELECT * FROM ledger_settle_holds_generic(p_ids, p_amounts, p_status, p_now, p_fast_commit);
  ELSE
    RETURN QUERY SELECT * FROM ledger_settle_holds_custom(p_ids, p_amounts, p_status, p_now, p_fast_commit);
  END IF;
END;
$$;
