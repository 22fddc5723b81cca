CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"subject_id" text NOT NULL,
	"reason" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" uuid,
	CONSTRAINT "legal_holds_scope" CHECK (scope IN ('user', 'organisation', 'ticket'))
);
--> statement-breakpoint
ALTER TABLE "security_events" ADD COLUMN "redacted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_holds_active_idx" ON "legal_holds" USING btree ("scope","subject_id") WHERE released_at IS NULL;--> statement-breakpoint
-- The retention engine may clear a security event's personal columns once its period has passed
-- (src/privacy/retention/retention-rules.ts), inside a transaction that sets
-- mixgate.security_log_redaction. Nothing else may change or delete a row: the hashes, the time and
-- the type stay, so the chain still verifies through a redacted row.
CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('mixgate.security_log_redaction', true) = 'on'
     AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
     AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at AND NEW.type = OLD.type
     AND NEW.previous_hash = OLD.previous_hash AND NEW.hash = OLD.hash
     AND NEW.user_id IS NULL AND NEW.actor_id IS NULL AND NEW.ip IS NULL AND NEW.user_agent IS NULL
     AND NEW.details = '{}'::jsonb THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'security_events is append-only';
END;
$$ LANGUAGE plpgsql;
