CREATE TABLE "generation_recipients" (
	"generation_id" text NOT NULL,
	"deployment_id" text NOT NULL,
	"provider" text NOT NULL,
	"region" text NOT NULL,
	"transfer_safeguard" text NOT NULL,
	"zero_retention" boolean NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "generation_recipients_generation_id_deployment_id_pk" PRIMARY KEY("generation_id","deployment_id")
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organisation_id" uuid,
	"api_key_id" uuid,
	"kind" text NOT NULL,
	"protocol" text NOT NULL,
	"requested_model" text NOT NULL,
	"model" text,
	"deployment_id" text,
	"provider" text,
	"upstream_model" text,
	"status" text NOT NULL,
	"streamed" boolean DEFAULT false NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cached_input_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"usage_estimated" boolean DEFAULT false NOT NULL,
	"units" jsonb,
	"cost" bigint DEFAULT 0 NOT NULL,
	"hold_id" bigint,
	"error_code" text,
	"latency_ms" integer NOT NULL,
	"first_token_ms" integer,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "generation_recipients" ADD CONSTRAINT "generation_recipients_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "generations_user_created_idx" ON "generations" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "generations_organisation_created_idx" ON "generations" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "generations_api_key_idx" ON "generations" USING btree ("api_key_id");