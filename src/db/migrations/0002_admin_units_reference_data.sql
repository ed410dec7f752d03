CREATE TABLE "old_district_conversions" (
	"old_district_code" text NOT NULL,
	"new_commune_code" text NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "old_district_conversions_old_district_code_new_commune_code_pk" PRIMARY KEY("old_district_code","new_commune_code")
);
--> statement-breakpoint
CREATE TABLE "reference_data" (
	"name" text PRIMARY KEY NOT NULL,
	"checksum" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commune_conversions" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "old_communes" ADD COLUMN "aliases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "old_district_conversions" ADD CONSTRAINT "old_district_conversions_old_district_code_old_districts_code_fk" FOREIGN KEY ("old_district_code") REFERENCES "public"."old_districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "old_district_conversions" ADD CONSTRAINT "old_district_conversions_new_commune_code_communes_code_fk" FOREIGN KEY ("new_commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communes_name_search_idx" ON "communes" USING gin (ocop_fold("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "old_communes_name_search_idx" ON "old_communes" USING gin (ocop_fold("name") gin_trgm_ops);