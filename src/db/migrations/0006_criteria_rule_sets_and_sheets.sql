CREATE TABLE "criteria_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"revision" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"document" jsonb NOT NULL,
	"problems" jsonb NOT NULL,
	"error_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "criteria_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"revision" integer NOT NULL,
	"rule_set_code" text NOT NULL,
	"product_set_scheme" text NOT NULL,
	"product_set_code" text NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"document" jsonb NOT NULL,
	"problems" jsonb NOT NULL,
	"error_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"validated_against" uuid,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "criteria_rule_sets" ADD CONSTRAINT "criteria_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_sheets" ADD CONSTRAINT "criteria_sheets_validated_against_criteria_rule_sets_id_fk" FOREIGN KEY ("validated_against") REFERENCES "public"."criteria_rule_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_sheets" ADD CONSTRAINT "criteria_sheets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_rule_sets_code_revision_key" ON "criteria_rule_sets" USING btree ("code","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_rule_sets_one_active_key" ON "criteria_rule_sets" USING btree ("code") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_sheets_code_revision_key" ON "criteria_sheets" USING btree ("code","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_sheets_one_active_key" ON "criteria_sheets" USING btree ("rule_set_code","product_set_code") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "criteria_sheets_rule_set_idx" ON "criteria_sheets" USING btree ("rule_set_code","product_set_code");