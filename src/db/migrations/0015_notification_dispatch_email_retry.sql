ALTER TABLE "notification_dispatches" ADD COLUMN "email_subject" text;--> statement-breakpoint
ALTER TABLE "notification_dispatches" ADD COLUMN "email_text" text;--> statement-breakpoint
ALTER TABLE "notification_dispatches" ADD COLUMN "email_attempts" integer DEFAULT 0 NOT NULL;