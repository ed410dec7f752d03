CREATE TABLE "evaluation_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"declared_by" uuid,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_council_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_councils" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"name" text NOT NULL,
	"established_by" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"level" text NOT NULL,
	"province_code" text,
	"year" integer NOT NULL,
	"round" integer NOT NULL,
	"name" text NOT NULL,
	"rule_set_id" uuid NOT NULL,
	"rule_set_code" text NOT NULL,
	"rule_set_revision" integer NOT NULL,
	"precheck_required" boolean NOT NULL,
	"submission_deadline" date NOT NULL,
	"meeting_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_dossier_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"checklist_code" text NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "evaluation_dossier_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "evaluation_dossiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"product_name" text NOT NULL,
	"product_set_scheme" text NOT NULL,
	"product_set_code" text NOT NULL,
	"commune_code" text NOT NULL,
	"province_code" text NOT NULL,
	"sheet_id" uuid NOT NULL,
	"evaluation_type" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"council_id" uuid,
	"registration_form" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"self_assessment_answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"self_assessment" jsonb,
	"self_assessment_star" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_result_publications" (
	"result_id" uuid PRIMARY KEY NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"supersedes_id" uuid,
	"valid" boolean NOT NULL,
	"outcome" text NOT NULL,
	"sheet_count" integer NOT NULL,
	"score" numeric(6, 2),
	"score_star" integer,
	"final_star" integer,
	"outlier_member_ids" jsonb NOT NULL,
	"disqualifiers" jsonb NOT NULL,
	"engine_output" jsonb NOT NULL,
	"level_decision" jsonb NOT NULL,
	"sheet_ids" jsonb NOT NULL,
	"computed_by" uuid,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_score_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dossier_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"previous_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comments" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reopen_reason" text,
	"reopened_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_recognition_items" (
	"decision_id" uuid NOT NULL,
	"dossier_id" uuid NOT NULL,
	"result_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"star" integer NOT NULL,
	CONSTRAINT "evaluation_recognition_items_decision_id_dossier_id_pk" PRIMARY KEY("decision_id","dossier_id")
);
--> statement-breakpoint
CREATE TABLE "evaluation_recognition_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"issuer_code" text NOT NULL,
	"number" text NOT NULL,
	"decision_date" date NOT NULL,
	"signer_name" text NOT NULL,
	"signer_title" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_conflicts" ADD CONSTRAINT "evaluation_conflicts_member_id_evaluation_council_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."evaluation_council_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_conflicts" ADD CONSTRAINT "evaluation_conflicts_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_conflicts" ADD CONSTRAINT "evaluation_conflicts_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_council_members" ADD CONSTRAINT "evaluation_council_members_council_id_evaluation_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."evaluation_councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_council_members" ADD CONSTRAINT "evaluation_council_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_council_members" ADD CONSTRAINT "evaluation_council_members_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_councils" ADD CONSTRAINT "evaluation_councils_cycle_id_evaluation_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."evaluation_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_councils" ADD CONSTRAINT "evaluation_councils_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_cycles" ADD CONSTRAINT "evaluation_cycles_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_cycles" ADD CONSTRAINT "evaluation_cycles_rule_set_id_criteria_rule_sets_id_fk" FOREIGN KEY ("rule_set_id") REFERENCES "public"."criteria_rule_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_cycles" ADD CONSTRAINT "evaluation_cycles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossier_documents" ADD CONSTRAINT "evaluation_dossier_documents_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossier_documents" ADD CONSTRAINT "evaluation_dossier_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossier_documents" ADD CONSTRAINT "evaluation_dossier_documents_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossier_transitions" ADD CONSTRAINT "evaluation_dossier_transitions_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossier_transitions" ADD CONSTRAINT "evaluation_dossier_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_cycle_id_evaluation_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."evaluation_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_sheet_id_criteria_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."criteria_sheets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_council_id_evaluation_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."evaluation_councils"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_dossiers" ADD CONSTRAINT "evaluation_dossiers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_result_publications" ADD CONSTRAINT "evaluation_result_publications_result_id_evaluation_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."evaluation_results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_result_publications" ADD CONSTRAINT "evaluation_result_publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_cycle_id_evaluation_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."evaluation_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_supersedes_id_evaluation_results_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."evaluation_results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_computed_by_users_id_fk" FOREIGN KEY ("computed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_score_sheets" ADD CONSTRAINT "evaluation_score_sheets_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_score_sheets" ADD CONSTRAINT "evaluation_score_sheets_member_id_evaluation_council_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."evaluation_council_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_score_sheets" ADD CONSTRAINT "evaluation_score_sheets_previous_id_evaluation_score_sheets_id_fk" FOREIGN KEY ("previous_id") REFERENCES "public"."evaluation_score_sheets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_score_sheets" ADD CONSTRAINT "evaluation_score_sheets_reopened_by_users_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_items" ADD CONSTRAINT "evaluation_recognition_items_decision_id_evaluation_recognition_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."evaluation_recognition_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_items" ADD CONSTRAINT "evaluation_recognition_items_dossier_id_evaluation_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."evaluation_dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_items" ADD CONSTRAINT "evaluation_recognition_items_result_id_evaluation_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."evaluation_results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_items" ADD CONSTRAINT "evaluation_recognition_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_decisions" ADD CONSTRAINT "evaluation_recognition_decisions_cycle_id_evaluation_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."evaluation_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_recognition_decisions" ADD CONSTRAINT "evaluation_recognition_decisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_conflicts_member_dossier_key" ON "evaluation_conflicts" USING btree ("member_id","dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_council_members_seat_key" ON "evaluation_council_members" USING btree ("council_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_council_members_one_chair_key" ON "evaluation_council_members" USING btree ("council_id") WHERE "evaluation_council_members"."role" = 'chair';--> statement-breakpoint
CREATE INDEX "evaluation_council_members_user_idx" ON "evaluation_council_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "evaluation_councils_cycle_idx" ON "evaluation_councils" USING btree ("cycle_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_cycles_round_key" ON "evaluation_cycles" USING btree (coalesce("province_code", ''),"level","year","round");--> statement-breakpoint
CREATE INDEX "evaluation_cycles_province_idx" ON "evaluation_cycles" USING btree ("province_code","year");--> statement-breakpoint
CREATE INDEX "evaluation_dossier_documents_dossier_idx" ON "evaluation_dossier_documents" USING btree ("dossier_id","checklist_code");--> statement-breakpoint
CREATE INDEX "evaluation_dossier_transitions_dossier_idx" ON "evaluation_dossier_transitions" USING btree ("dossier_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_dossiers_live_product_key" ON "evaluation_dossiers" USING btree ("cycle_id","product_id") WHERE "evaluation_dossiers"."state" <> 'withdrawn';--> statement-breakpoint
CREATE INDEX "evaluation_dossiers_cycle_state_idx" ON "evaluation_dossiers" USING btree ("cycle_id","state");--> statement-breakpoint
CREATE INDEX "evaluation_dossiers_subject_idx" ON "evaluation_dossiers" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "evaluation_dossiers_council_idx" ON "evaluation_dossiers" USING btree ("council_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_results_sequence_key" ON "evaluation_results" USING btree ("dossier_id","sequence");--> statement-breakpoint
CREATE INDEX "evaluation_results_cycle_idx" ON "evaluation_results" USING btree ("cycle_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_score_sheets_revision_key" ON "evaluation_score_sheets" USING btree ("dossier_id","member_id","revision");--> statement-breakpoint
CREATE INDEX "evaluation_score_sheets_member_idx" ON "evaluation_score_sheets" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_recognition_items_dossier_key" ON "evaluation_recognition_items" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_recognition_decisions_number_key" ON "evaluation_recognition_decisions" USING btree ("issuer_code","number");--> statement-breakpoint
CREATE INDEX "evaluation_recognition_decisions_cycle_idx" ON "evaluation_recognition_decisions" USING btree ("cycle_id");