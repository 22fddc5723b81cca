CREATE TABLE "ledger_accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"organisation_id" uuid,
	"balance" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_held_not_negative" CHECK (held >= 0),
	CONSTRAINT "ledger_accounts_wallet_not_overdrawn" CHECK (kind NOT IN ('user_wallet', 'organisation_wallet') OR balance - held >= 0),
	CONSTRAINT "ledger_accounts_owner" CHECK ((kind = 'user_wallet') = (user_id IS NOT NULL) AND (kind = 'organisation_wallet') = (organisation_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "ledger_holds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"credit_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"posted_amount" bigint,
	"kind" text DEFAULT 'usage' NOT NULL,
	"idempotency_key" text NOT NULL,
	"actor" text NOT NULL,
	"model" text,
	"api_key_id" uuid,
	"member_user_id" uuid,
	"key_counter_id" bigint,
	"member_counter_id" bigint,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "ledger_holds_amount_positive" CHECK (amount > 0),
	CONSTRAINT "ledger_holds_status" CHECK (status IN ('open', 'posted', 'voided', 'expired')),
	CONSTRAINT "ledger_holds_posted_amount" CHECK ((status = 'posted') = (posted_amount IS NOT NULL) AND coalesce(posted_amount, 0) BETWEEN 0 AND amount)
);
--> statement-breakpoint
CREATE TABLE "ledger_spend_counters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"spent" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ledger_spend_counters_not_negative" CHECK (spent >= 0 AND held >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"debit_account_id" bigint NOT NULL,
	"credit_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"reason" text,
	"actor" text NOT NULL,
	"hold_id" bigint,
	"model" text,
	"api_key_id" uuid,
	"member_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK (amount > 0),
	CONSTRAINT "ledger_transfers_distinct_accounts" CHECK (debit_account_id <> credit_account_id)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_limit_period" text DEFAULT 'total' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_members" ADD COLUMN "spend_limit_period" text DEFAULT 'month' NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "ledger_holds_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_debit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_user_key" ON "ledger_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_organisation_key" ON "ledger_accounts" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_system_key" ON "ledger_accounts" USING btree ("kind") WHERE kind NOT IN ('user_wallet', 'organisation_wallet');--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_holds_idempotency_key" ON "ledger_holds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_holds_open_expiry_idx" ON "ledger_holds" USING btree ("expires_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "ledger_holds_open_account_idx" ON "ledger_holds" USING btree ("account_id") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_spend_counters_scope_key" ON "ledger_spend_counters" USING btree ("scope","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_idempotency_key" ON "ledger_transfers" USING btree ("kind","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_hold_key" ON "ledger_transfers" USING btree ("hold_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" USING btree ("debit_account_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" USING btree ("credit_account_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_api_key_idx" ON "ledger_transfers" USING btree ("api_key_id","created_at") WHERE api_key_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ledger_transfers_member_idx" ON "ledger_transfers" USING btree ("member_user_id","created_at") WHERE member_user_id IS NOT NULL;