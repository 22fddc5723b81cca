-- Billing records past their retention period keep their amounts (every balance is the sum of its
-- transfers, and checkLedger recomputes it) but must stop identifying a person. The retention
-- engine (src/privacy/retention/billing-retention.ts) clears their personal columns inside a
-- transaction that sets mixgate.ledger_redaction, as the security log's redaction does (0012).
-- Under that switch, and only then, an UPDATE may change nothing but the personal columns, and
-- each only to its redacted value: reason, model and member_user_id to NULL, actor (NOT NULL) to
-- 'redacted'. Every other column, present or added later, must stay as it was: the rows are
-- compared whole, less the personal columns. api_key_id is not personal here and stays: a key's
-- lifetime spend and its spend-limit counters are sums of transfers by api_key_id
-- (src/accounts/api-keys.ts, ledger_place_hold), and a key id names no one once its key is gone.
-- DELETE and TRUNCATE stay refused, with or without the switch.
CREATE OR REPLACE FUNCTION ledger_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested IFs: NEW does not exist for DELETE or TRUNCATE, so it is read only for an UPDATE.
  IF TG_OP = 'UPDATE' AND current_setting('mixgate.ledger_redaction', true) = 'on' THEN
    IF (to_jsonb(NEW) - 'reason' - 'model' - 'member_user_id' - 'actor')
         = (to_jsonb(OLD) - 'reason' - 'model' - 'member_user_id' - 'actor')
       AND (NEW.reason IS NULL OR NEW.reason IS NOT DISTINCT FROM OLD.reason)
       AND (NEW.model IS NULL OR NEW.model IS NOT DISTINCT FROM OLD.model)
       AND (NEW.member_user_id IS NULL OR NEW.member_user_id IS NOT DISTINCT FROM OLD.member_user_id)
       AND (NEW.actor = 'redacted' OR NEW.actor = OLD.actor) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'ledger_transfers is append-only';
END;
$$;
--> statement-breakpoint

-- A hold still changes state exactly once (open -> posted, voided or expired) and is never deleted.
-- Under the redaction switch a settled hold may also lose its personal columns (actor, model,
-- member_user_id), with its status, amounts, accounts and everything else unchanged. api_key_id
-- stays, as on transfers.
CREATE OR REPLACE FUNCTION ledger_holds_settle_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status <> 'open'
     AND current_setting('mixgate.ledger_redaction', true) = 'on' THEN
    IF (to_jsonb(NEW) - 'model' - 'member_user_id' - 'actor')
         = (to_jsonb(OLD) - 'model' - 'member_user_id' - 'actor')
       AND (NEW.model IS NULL OR NEW.model IS NOT DISTINCT FROM OLD.model)
       AND (NEW.member_user_id IS NULL OR NEW.member_user_id IS NOT DISTINCT FROM OLD.member_user_id)
       AND (NEW.actor = 'redacted' OR NEW.actor = OLD.actor) THEN
      RETURN NEW;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' OR OLD.status <> 'open' OR NEW.amount <> OLD.amount
     OR NEW.account_id <> OLD.account_id OR NEW.credit_account_id <> OLD.credit_account_id THEN
    RAISE EXCEPTION 'ledger hold % is already %', OLD.id, OLD.status;
  END IF;
  RETURN NEW;
END;
$$;
