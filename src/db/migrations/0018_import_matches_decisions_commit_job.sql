ALTER TABLE "import_jobs" ADD COLUMN "decisions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "commit_options" jsonb;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "commit_requested_by" uuid;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "commit_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "commit_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "commit_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_rows" ADD COLUMN "matches" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_templates" ADD COLUMN "decisions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_commit_requested_by_users_id_fk" FOREIGN KEY ("commit_requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_jobs_committing_idx" ON "import_jobs" USING btree ("commit_requested_at") WHERE "import_jobs"."status" = 'committing';