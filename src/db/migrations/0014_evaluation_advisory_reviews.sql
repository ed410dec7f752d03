CREATE TABLE "evaluation_advisory_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"review_notes" text NOT NULL,
	"field_visit_date" date,
	"field_visit_place" text,
	"field_visit_findings" text,
	"attachment_document_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_advisory_reviews_visit_whole" CHECK (("evaluation_advisory_reviews"."field_visit_date" is null) = ("evaluation_advisory_reviews"."field_visit_place" is null) and ("evaluation_advisory_reviews"."field_visit_date" is null) = ("evaluation_advisory_reviews"."field_visit_findings" is null))
);
--> statement-breakpoint
ALTER TABLE "evaluation_advisory_reviews" ADD CONSTRAINT "evaluation_advisory_reviews_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_advisory_reviews" ADD CONSTRAINT "evaluation_advisory_reviews_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_advisory_reviews" ADD CONSTRAINT "evaluation_advisory_reviews_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_advisory_reviews_dossier_key" ON "evaluation_advisory_reviews" USING btree ("dossier_id");