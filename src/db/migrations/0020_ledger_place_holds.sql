-- Group commit for holds (src/ledger/hold-queue.ts): many holds placed in one statement and one
-- transaction, as settlements already are (ledger_settle_holds). Each item goes through
-- ledger_place_hold unchanged, so the rules (available credit, spend limits, idempotency, replays)
-- are exactly those of a single hold; what a batch saves is a round trip, a statement and a commit
-- per hold.
-- Items are placed in the order of their wallet's account id, the order every other ledger writer
-- locks accounts in, so that a batch and a concurrent settlement or batch never deadlock. Two
-- items with the same key in one batch behave as two requests one after the other: the second is a
-- replay (or a conflict) of the first.
-- p_items: a JSON array of objects with the parameters of ledger_place_hold (user_id,
-- organisation_id, credit, amount, key, actor, expires_at, now, model, api_key_id, member_user_id,
-- key_limit, key_period_start, member_limit, member_period_start) and an ordinal the caller
-- matches the results by.
CREATE FUNCTION ledger_place_holds(p_items jsonb, p_fast_commit boolean)
RETURNS TABLE (ordinal integer, outcome text, hold_id bigint, available bigint, limit_scope text,
               limit_remaining bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r record;
BEGIN
  IF p_fast_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  FOR r IN
    SELECT i.* FROM jsonb_to_recordset(p_items) AS i (
      ordinal integer, user_id uuid, organisation_id uuid, credit bigint, amount bigint, key text,
      actor text, expires_at timestamptz, now timestamptz, model text, api_key_id uuid,
      member_user_id uuid, key_limit bigint, key_period_start timestamptz, member_limit bigint,
      member_period_start timestamptz)
    ORDER BY (CASE WHEN i.organisation_id IS NOT NULL
                   THEN (SELECT a.id FROM ledger_accounts a WHERE a.organisation_id = i.organisation_id)
                   ELSE (SELECT a.id FROM ledger_accounts a WHERE a.user_id = i.user_id) END) NULLS LAST,
             i.ordinal
  LOOP
    RETURN QUERY SELECT r.ordinal, h.outcome, h.hold_id, h.available, h.limit_scope, h.limit_remaining
      FROM ledger_place_hold(r.user_id, r.organisation_id, r.credit, r.amount, r.key, r.actor,
        r.expires_at, r.now, r.model, r.api_key_id, r.member_user_id, r.key_limit, r.key_period_start,
        r.member_limit, r.member_period_start, p_fast_commit) AS h;
  END LOOP;
END;
$$;
