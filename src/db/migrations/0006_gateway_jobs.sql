CREATE TABLE "gateway_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"generation_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"organisation_id" uuid,
	"api_key_id" uuid,
	"requested_model" text NOT NULL,
	"model" text,
	"deployment_id" text,
	"upstream_model" text,
	"upstream_id" text,
	"status" text NOT NULL,
	"progress" integer,
	"input" jsonb,
	"routing" jsonb NOT NULL,
	"hold_id" bigint NOT NULL,
	"hold_amount" bigint NOT NULL,
	"cost" bigint DEFAULT 0 NOT NULL,
	"outputs" jsonb,
	"metrics" jsonb,
	"error_code" text,
	"error_message" text,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"webhook_delivered_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"poll_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "gateway_jobs_generation_id_unique" UNIQUE("generation_id")
);
--> statement-breakpoint
ALTER TABLE "gateway_jobs" ADD CONSTRAINT "gateway_jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_jobs" ADD CONSTRAINT "gateway_jobs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_jobs" ADD CONSTRAINT "gateway_jobs_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gateway_jobs_user_created_idx" ON "gateway_jobs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "gateway_jobs_unfinished_idx" ON "gateway_jobs" USING btree ("status") WHERE status IN ('queued', 'running');