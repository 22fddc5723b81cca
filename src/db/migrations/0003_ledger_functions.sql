-- The ledger's writers. Each is one function so that a hold, a transfer or a batch of settlements is
-- one round trip and one transaction. Rows are always locked in the same order, holds, then
-- accounts by id, then spend counters by id, so concurrent writers never deadlock. Locks are FOR NO
-- KEY UPDATE, not FOR UPDATE: the foreign-key checks of a concurrent insert (a hold or transfer
-- naming the revenue account) take KEY SHARE locks, which FOR UPDATE would conflict with, out of
-- order, and deadlock.
-- System accounts have fixed ids (src/ledger/system-accounts.ts); wallets are numbered after them.
INSERT INTO ledger_accounts (id, kind) VALUES
  (1, 'revenue'), (2, 'payments_clearing'), (3, 'promotions'), (4, 'refunds'), (5, 'manual_adjustments');
--> statement-breakpoint
SELECT setval('ledger_accounts_id_seq', 100, false);
--> statement-breakpoint

-- Transfers are immutable: refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION ledger_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_immutable();
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfers_immutable();
--> statement-breakpoint

-- A hold changes state exactly once (open -> posted, voided or expired) and is never deleted.
CREATE FUNCTION ledger_holds_settle_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'open' OR NEW.amount <> OLD.amount
     OR NEW.account_id <> OLD.account_id OR NEW.credit_account_id <> OLD.credit_account_id THEN
    RAISE EXCEPTION 'ledger hold % is already %', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_holds_settle_once BEFORE UPDATE OR DELETE ON ledger_holds
  FOR EACH ROW EXECUTE FUNCTION ledger_holds_settle_once();
--> statement-breakpoint

-- The single-row writers below run on every request's hot path. force_generic_plan spares
-- PostgreSQL from re-planning their statements with each call's parameters; it applies inside the
-- function only.

-- Moves p_amount from p_debit to p_credit. A wallet on the debit side must have it available.
-- Outcomes: transferred | replayed (same key, same transfer) | conflict (same key, different
-- transfer) | insufficient (available is returned).
CREATE FUNCTION ledger_transfer(
  p_debit bigint, p_credit bigint, p_amount bigint, p_kind text, p_key text,
  p_reason text, p_actor text, p_now timestamptz
) RETURNS TABLE (outcome text, transfer_id bigint, available bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
  v_existing ledger_transfers%ROWTYPE;
  v_debit ledger_accounts%ROWTYPE;
  v_id bigint;
BEGIN
  -- The key is looked up after the accounts are locked: a request with the same key that held
  -- them first has committed by then, and is answered as a replay rather than refused for credit.
  PERFORM 1 FROM ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR NO KEY UPDATE;
  SELECT * INTO v_existing FROM ledger_transfers WHERE kind = p_kind AND idempotency_key = p_key;
  IF NOT FOUND THEN
    SELECT * INTO v_debit FROM ledger_accounts WHERE id = p_debit;
    IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM ledger_accounts WHERE id = p_credit) THEN
      RAISE EXCEPTION 'ledger account % or % does not exist', p_debit, p_credit;
    END IF;
    IF v_debit.kind IN ('user_wallet', 'organisation_wallet') AND v_debit.balance - v_debit.held < p_amount THEN
      RETURN QUERY SELECT 'insufficient'::text, NULL::bigint, v_debit.balance - v_debit.held;
      RETURN;
    END IF;
    INSERT INTO ledger_transfers
      (debit_account_id, credit_account_id, amount, kind, idempotency_key, reason, actor, created_at)
    VALUES (p_debit, p_credit, p_amount, p_kind, p_key, p_reason, p_actor, p_now)
    ON CONFLICT (kind, idempotency_key) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      UPDATE ledger_accounts SET balance = balance - p_amount WHERE id = p_debit;
      UPDATE ledger_accounts SET balance = balance + p_amount WHERE id = p_credit;
      RETURN QUERY SELECT 'transferred'::text, v_id, balance - held FROM ledger_accounts WHERE id = p_debit;
      RETURN;
    END IF;
    -- A concurrent request with the same key committed first: answer as a replay of it.
    SELECT * INTO v_existing FROM ledger_transfers WHERE kind = p_kind AND idempotency_key = p_key;
  END IF;
  RETURN QUERY SELECT
    CASE WHEN v_existing.debit_account_id = p_debit AND v_existing.credit_account_id = p_credit
              AND v_existing.amount = p_amount THEN 'replayed' ELSE 'conflict' END,
    v_existing.id,
    NULL::bigint;
END;
$$;
--> statement-breakpoint

-- Reserves p_amount on the wallet of p_organisation_id, or else of p_user_id, until p_expires_at, when its available balance (balance - open
-- holds) and any spend limits allow it. Spend counters are created on first use in a period,
-- starting from the usage already posted in it.
-- Outcomes: placed | replayed | conflict | insufficient (available returned) | limit (limit_scope
-- and limit_remaining returned).
-- p_fast_commit: a hold may be lost in a database crash (it then never existed, and nothing was
-- charged), so it need not wait for the WAL flush; settlements, which report costs, always do.
CREATE FUNCTION ledger_place_hold(
  p_user_id uuid, p_organisation_id uuid, p_credit bigint, p_amount bigint, p_key text, p_actor text,
  p_expires_at timestamptz, p_now timestamptz, p_model text, p_api_key_id uuid, p_member_user_id uuid,
  p_key_limit bigint, p_key_period_start timestamptz,
  p_member_limit bigint, p_member_period_start timestamptz,
  p_fast_commit boolean
) RETURNS TABLE (outcome text, hold_id bigint, available bigint, limit_scope text, limit_remaining bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
  v_existing ledger_holds%ROWTYPE;
  v_account ledger_accounts%ROWTYPE;
  v_key_counter ledger_spend_counters%ROWTYPE;
  v_member_counter ledger_spend_counters%ROWTYPE;
  v_key_scope text := 'api_key:' || p_api_key_id;
  v_member_scope text;
  v_account_id bigint;
  v_id bigint;
BEGIN
  IF p_fast_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  IF p_organisation_id IS NOT NULL THEN
    SELECT id INTO v_account_id FROM ledger_accounts WHERE organisation_id = p_organisation_id;
  ELSE
    SELECT id INTO v_account_id FROM ledger_accounts WHERE user_id = p_user_id;
  END IF;
  -- The key is looked up after the wallet is locked: a request with the same key that held it
  -- first has committed by then, and is answered as a replay rather than refused for credit.
  SELECT * INTO v_account FROM ledger_accounts WHERE id = v_account_id FOR NO KEY UPDATE;
  SELECT * INTO v_existing FROM ledger_holds WHERE idempotency_key = p_key;
  IF NOT FOUND THEN
    IF v_account_id IS NULL THEN
      -- No wallet yet means nothing was ever credited.
      RETURN QUERY SELECT 'insufficient'::text, NULL::bigint, 0::bigint, NULL::text, NULL::bigint;
      RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_accounts WHERE id = p_credit AND kind IN ('user_wallet', 'organisation_wallet')) THEN
      RAISE EXCEPTION 'a hold must credit a system account, not wallet %', p_credit;
    END IF;
    IF v_account.balance - v_account.held < p_amount THEN
      RETURN QUERY SELECT 'insufficient'::text, NULL::bigint, v_account.balance - v_account.held, NULL::text, NULL::bigint;
      RETURN;
    END IF;

    IF p_key_limit IS NOT NULL THEN
      SELECT * INTO v_key_counter FROM ledger_spend_counters
       WHERE scope = v_key_scope AND period_start = p_key_period_start FOR NO KEY UPDATE;
      IF NOT FOUND THEN
        INSERT INTO ledger_spend_counters (scope, period_start, spent)
        SELECT v_key_scope, p_key_period_start, coalesce(sum(amount), 0) FROM ledger_transfers
         WHERE api_key_id = p_api_key_id AND kind = 'usage' AND created_at >= p_key_period_start
        ON CONFLICT (scope, period_start) DO NOTHING;
        SELECT * INTO v_key_counter FROM ledger_spend_counters
         WHERE scope = v_key_scope AND period_start = p_key_period_start FOR NO KEY UPDATE;
      END IF;
      IF v_key_counter.spent + v_key_counter.held + p_amount > p_key_limit THEN
        RETURN QUERY SELECT 'limit'::text, NULL::bigint, NULL::bigint, 'api_key'::text,
          greatest(p_key_limit - v_key_counter.spent - v_key_counter.held, 0);
        RETURN;
      END IF;
    END IF;

    IF p_member_limit IS NOT NULL THEN
      v_member_scope := 'member:' || p_organisation_id || ':' || p_member_user_id;
      SELECT * INTO v_member_counter FROM ledger_spend_counters
       WHERE scope = v_member_scope AND period_start = p_member_period_start FOR NO KEY UPDATE;
      IF NOT FOUND THEN
        INSERT INTO ledger_spend_counters (scope, period_start, spent)
        SELECT v_member_scope, p_member_period_start, coalesce(sum(amount), 0) FROM ledger_transfers
         WHERE member_user_id = p_member_user_id AND debit_account_id = v_account_id AND kind = 'usage'
           AND created_at >= p_member_period_start
        ON CONFLICT (scope, period_start) DO NOTHING;
        SELECT * INTO v_member_counter FROM ledger_spend_counters
         WHERE scope = v_member_scope AND period_start = p_member_period_start FOR NO KEY UPDATE;
      END IF;
      IF v_member_counter.spent + v_member_counter.held + p_amount > p_member_limit THEN
        RETURN QUERY SELECT 'limit'::text, NULL::bigint, NULL::bigint, 'member'::text,
          greatest(p_member_limit - v_member_counter.spent - v_member_counter.held, 0);
        RETURN;
      END IF;
    END IF;

    INSERT INTO ledger_holds
      (account_id, credit_account_id, amount, idempotency_key, actor, model, api_key_id, member_user_id,
       key_counter_id, member_counter_id, expires_at, created_at)
    VALUES (v_account_id, p_credit, p_amount, p_key, p_actor, p_model, p_api_key_id, p_member_user_id,
       v_key_counter.id, v_member_counter.id, p_expires_at, p_now)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      UPDATE ledger_accounts SET held = held + p_amount WHERE id = v_account_id;
      UPDATE ledger_spend_counters SET held = held + p_amount
       WHERE id IN (v_key_counter.id, v_member_counter.id);
      RETURN QUERY SELECT 'placed'::text, v_id, v_account.balance - v_account.held - p_amount, NULL::text, NULL::bigint;
      RETURN;
    END IF;
    SELECT * INTO v_existing FROM ledger_holds WHERE idempotency_key = p_key;
  END IF;
  RETURN QUERY SELECT
    CASE WHEN v_existing.account_id = v_account_id AND v_existing.amount = p_amount THEN 'replayed' ELSE 'conflict' END,
    v_existing.id, NULL::bigint, NULL::text, NULL::bigint;
END;
$$;
--> statement-breakpoint

-- Settles a batch of holds in one transaction: p_status 'posted' captures p_amounts[i] (0 to the
-- held amount) and releases the rest; 'voided' and 'expired' release everything. One row per
-- requested hold. Outcomes: posted | voided | expired (done now) | replayed (already settled the
-- same way) | already_posted | already_voided | already_expired | not_found | invalid_amount |
-- not_expired.
CREATE FUNCTION ledger_settle_holds(
  p_ids bigint[], p_amounts bigint[], p_status text, p_now timestamptz, p_fast_commit boolean
) RETURNS TABLE (hold_id bigint, outcome text, transfer_id bigint, posted_amount bigint)
-- No generic plan here: it would assume a ten-element batch and join the CTEs by nested loops,
-- quadratic in the batch (a 100,000-hold sweep took minutes).
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  IF p_status NOT IN ('posted', 'voided', 'expired') THEN
    RAISE EXCEPTION 'unknown settlement %', p_status;
  END IF;
  IF p_fast_commit THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  -- `(status = 'open') IS TRUE` rather than `status = 'open'`: the bare form matches the partial
  -- open-hold indexes, and the planner may then scan every open hold instead of probing the keys.
  PERFORM 1 FROM ledger_holds WHERE id = ANY (p_ids) AND (status = 'open') IS TRUE ORDER BY id FOR NO KEY UPDATE;
  PERFORM 1 FROM ledger_accounts WHERE id IN (
      SELECT account_id FROM ledger_holds WHERE id = ANY (p_ids) AND (status = 'open') IS TRUE
      -- Only a capture credits anything: voids and expiries leave the revenue row alone.
      UNION SELECT credit_account_id FROM ledger_holds
             WHERE id = ANY (p_ids) AND (status = 'open') IS TRUE AND p_status = 'posted')
    ORDER BY id FOR NO KEY UPDATE;
  PERFORM 1 FROM ledger_spend_counters WHERE id IN (
      SELECT key_counter_id FROM ledger_holds WHERE id = ANY (p_ids) AND (status = 'open') IS TRUE
      UNION SELECT member_counter_id FROM ledger_holds WHERE id = ANY (p_ids) AND (status = 'open') IS TRUE)
    ORDER BY id FOR NO KEY UPDATE;

  RETURN QUERY
  WITH request AS (
    SELECT DISTINCT ON (r.id) r.id, r.amount FROM unnest(p_ids, p_amounts) AS r (id, amount)
  ), settled AS (
    UPDATE ledger_holds h
       SET status = p_status,
           posted_amount = CASE WHEN p_status = 'posted' THEN request.amount END,
           resolved_at = p_now
      FROM request
     WHERE h.id = request.id AND (h.status = 'open') IS TRUE
       AND (p_status <> 'posted' OR request.amount BETWEEN 0 AND h.amount)
       AND (p_status <> 'expired' OR h.expires_at <= p_now)
    RETURNING h.*
  ), new_transfers AS (
    INSERT INTO ledger_transfers
      (debit_account_id, credit_account_id, amount, kind, idempotency_key, actor, hold_id, model,
       api_key_id, member_user_id, created_at)
    SELECT s.account_id, s.credit_account_id, s.posted_amount, s.kind, s.idempotency_key, s.actor, s.id,
           s.model, s.api_key_id, s.member_user_id, p_now
      FROM settled s WHERE s.posted_amount > 0
    RETURNING id, hold_id
  ), wallet_changes AS (
    UPDATE ledger_accounts a
       SET held = a.held - d.released, balance = a.balance - d.spent
      FROM (SELECT account_id, sum(amount) AS released, coalesce(sum(posted_amount), 0) AS spent
              FROM settled GROUP BY account_id) d
     WHERE a.id = d.account_id
  ), credit_changes AS (
    UPDATE ledger_accounts a
       SET balance = a.balance + d.total
      FROM (SELECT credit_account_id, sum(posted_amount) AS total
              FROM settled WHERE posted_amount > 0 GROUP BY credit_account_id) d
     WHERE a.id = d.credit_account_id
  ), counter_changes AS (
    UPDATE ledger_spend_counters c
       SET held = c.held - d.released, spent = c.spent + d.spent
      FROM (SELECT u.counter_id, sum(u.released) AS released, sum(u.spent) AS spent
              FROM (SELECT key_counter_id AS counter_id, amount AS released, coalesce(posted_amount, 0) AS spent FROM settled
                    UNION ALL
                    SELECT member_counter_id, amount, coalesce(posted_amount, 0) FROM settled) u
             WHERE u.counter_id IS NOT NULL GROUP BY u.counter_id) d
     WHERE c.id = d.counter_id
  )
  SELECT request.id,
         CASE
           WHEN s.id IS NOT NULL THEN p_status
           WHEN h.id IS NULL THEN 'not_found'
           WHEN h.status = 'open' AND p_status = 'expired' THEN 'not_expired'
           WHEN h.status = 'open' THEN 'invalid_amount'
           WHEN h.status = p_status AND (p_status <> 'posted' OR h.posted_amount = request.amount) THEN 'replayed'
           ELSE 'already_' || h.status
         END,
         coalesce(t.id, old.id),
         coalesce(s.posted_amount, h.posted_amount)
    FROM request
    LEFT JOIN settled s ON s.id = request.id
    LEFT JOIN ledger_holds h ON h.id = request.id
    LEFT JOIN new_transfers t ON t.hold_id = request.id
    LEFT JOIN ledger_transfers old ON old.hold_id = request.id;
END;
$$;
