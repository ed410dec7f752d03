ALTER TABLE "login_throttle" RENAME COLUMN "failures" TO "attempts";--> statement-breakpoint
ALTER TABLE "login_throttle" ADD COLUMN "last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Keys of the earlier per-account lock ("account:…") are never read again.
DELETE FROM "login_throttle";