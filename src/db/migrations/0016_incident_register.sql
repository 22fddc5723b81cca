CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"aware_at" timestamp with time zone NOT NULL,
	"occurred_at" timestamp with time zone,
	"severity" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"personal_data_breach" boolean NOT NULL,
	"data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"approximate_subjects" integer,
	"likely_consequences" text,
	"measures_taken" text,
	"notify_authority" boolean,
	"no_notification_reason" text,
	"authority_notified_at" timestamp with time zone,
	"authority_reference" text,
	"delay_reason" text,
	"subjects_notified_at" timestamp with time zone,
	"reported_by" uuid NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_severity" CHECK (severity IN ('low', 'medium', 'high')),
	CONSTRAINT "incidents_status" CHECK (status IN ('open', 'contained', 'closed'))
);
--> statement-breakpoint
CREATE INDEX "incidents_aware_idx" ON "incidents" USING btree ("aware_at");