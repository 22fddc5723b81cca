-- Privacy requests (GDPR Art. 15-21, src/privacy/requests/): who asked for what, when it is due, how the
-- identity was verified and how it ended. Kept after an erasure (pseudonymised), as the proof it was answered.
CREATE TABLE "privacy_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"details" text,
	"received_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"verification" text,
	"verification_token_hash" text,
	"verification_expires_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"handled_by" uuid,
	"notes" text,
	"blocked_reason" text,
	"export_location" text,
	"export_expires_at" timestamp with time zone,
	"receipt" jsonb,
	CONSTRAINT "privacy_requests_type" CHECK (type IN ('access', 'erasure', 'rectification', 'restriction', 'objection', 'consent_withdrawal')),
	CONSTRAINT "privacy_requests_status" CHECK (status IN ('awaiting_verification', 'in_progress', 'completed', 'rejected')),
	CONSTRAINT "privacy_requests_source" CHECK (source IN ('app', 'staff')),
	CONSTRAINT "privacy_requests_verification" CHECK (verification IS NULL OR verification IN ('password', 'email_link'))
);
--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "privacy_requests_user_idx" ON "privacy_requests" USING btree ("user_id","received_at");--> statement-breakpoint
CREATE INDEX "privacy_requests_open_idx" ON "privacy_requests" USING btree ("type","received_at") WHERE status IN ('awaiting_verification', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_requests_token_key" ON "privacy_requests" USING btree ("verification_token_hash");