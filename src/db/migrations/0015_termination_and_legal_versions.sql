ALTER TABLE "privacy_requests" DROP CONSTRAINT "privacy_requests_source";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "closed_by" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "closure_reason" text;--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "material" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "change_summary" text;--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "published_by" uuid;--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "notice_cursor" uuid;--> statement-breakpoint
ALTER TABLE "legal_documents" ADD COLUMN "notice_completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "closed_by" uuid;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "closure_reason" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "content_erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_source" CHECK (source IN ('app', 'staff', 'termination', 'retention'));