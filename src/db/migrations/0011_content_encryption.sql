-- Content sealed with per-user data keys (src/privacy/content-keys.ts, content-cipher.ts). SQL cannot
-- seal (the keys never reach the database unsealed), so content stored before this migration is
-- marked "p0." (plaintext, format 0) here and sealed by the startup pass (src/privacy/content-legacy.ts).
CREATE TABLE "user_data_keys" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"key_sealed" text,
	"master_key_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	"destroyed_at" timestamp with time zone,
	CONSTRAINT "user_data_keys_key_or_tombstone" CHECK ((key_sealed IS NULL) = (destroyed_at IS NOT NULL) AND (key_sealed IS NULL) = (master_key_id IS NULL))
);
--> statement-breakpoint
ALTER TABLE "gateway_jobs" ALTER COLUMN "input" SET DATA TYPE text USING 'p0.' || "input"::text;--> statement-breakpoint
-- A message's attachments move to a column of their own, so a search opens texts only.
ALTER TABLE "conversation_messages" ADD COLUMN "attachments" text;--> statement-breakpoint
UPDATE "conversation_messages" SET "attachments" = 'p0.' || ("content" -> 'attachments')::text
 WHERE jsonb_typeof("content" -> 'attachments') = 'array';--> statement-breakpoint
ALTER TABLE "conversation_messages" ALTER COLUMN "content" SET DATA TYPE text USING 'p0.' || coalesce("content" ->> 'text', '');--> statement-breakpoint
UPDATE "conversations" SET "title" = 'p0.' || "title";--> statement-breakpoint
UPDATE "output_reports" SET "details" = 'p0.' || "details" WHERE "details" IS NOT NULL;--> statement-breakpoint
UPDATE "studio_outputs" SET "prompt" = 'p0.' || "prompt";--> statement-breakpoint
ALTER TABLE "user_data_keys" ADD CONSTRAINT "user_data_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gateway_jobs_legacy_idx" ON "gateway_jobs" USING btree ("id") WHERE input LIKE 'p0.%';--> statement-breakpoint
CREATE INDEX "conversation_messages_legacy_idx" ON "conversation_messages" USING btree ("id") WHERE content LIKE 'p0.%';--> statement-breakpoint
CREATE INDEX "conversations_legacy_idx" ON "conversations" USING btree ("id") WHERE title LIKE 'p0.%';--> statement-breakpoint
CREATE INDEX "output_reports_legacy_idx" ON "output_reports" USING btree ("id") WHERE details LIKE 'p0.%';--> statement-breakpoint
CREATE INDEX "studio_outputs_legacy_idx" ON "studio_outputs" USING btree ("id") WHERE prompt LIKE 'p0.%';
