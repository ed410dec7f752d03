CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "user_subjects" (
	"user_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	CONSTRAINT "user_subjects_user_id_subject_id_pk" PRIMARY KEY("user_id","subject_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"province_code" text,
	"commune_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "commune_conversions" (
	"old_commune_code" text NOT NULL,
	"new_commune_code" text NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "commune_conversions_old_commune_code_new_commune_code_pk" PRIMARY KEY("old_commune_code","new_commune_code")
);
--> statement-breakpoint
CREATE TABLE "communes" (
	"code" text PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"name" text NOT NULL,
	"division_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "old_communes" (
	"code" text PRIMARY KEY NOT NULL,
	"district_code" text NOT NULL,
	"name" text NOT NULL,
	"division_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "old_districts" (
	"code" text PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "old_provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"division_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "craft_villages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"commune_code" text NOT NULL,
	"recognition_year" integer,
	"traditional" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "product_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"mime_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"name" text NOT NULL,
	"taxonomy_scheme" text NOT NULL,
	"category_code" text NOT NULL,
	"commune_code" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"story" text DEFAULT '' NOT NULL,
	"raw_material_origin" text DEFAULT '' NOT NULL,
	"standards" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"other_standards" text DEFAULT '' NOT NULL,
	"gtin" text,
	"craft_village_id" uuid,
	"registered_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "subjects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"business_registration_no" text,
	"tax_code" text,
	"address" text NOT NULL,
	"commune_code" text NOT NULL,
	"legal_representative" text NOT NULL,
	"legal_representative_gender" text NOT NULL,
	"woman_led" boolean DEFAULT false NOT NULL,
	"workforce_total" integer,
	"workforce_local" integer,
	"workforce_trained" integer,
	"sales_channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"phone" text,
	"email" text,
	"website" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_subjects" ADD CONSTRAINT "user_subjects_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commune_conversions" ADD CONSTRAINT "commune_conversions_old_commune_code_old_communes_code_fk" FOREIGN KEY ("old_commune_code") REFERENCES "public"."old_communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commune_conversions" ADD CONSTRAINT "commune_conversions_new_commune_code_communes_code_fk" FOREIGN KEY ("new_commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communes" ADD CONSTRAINT "communes_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "old_communes" ADD CONSTRAINT "old_communes_district_code_old_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."old_districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "old_districts" ADD CONSTRAINT "old_districts_province_code_old_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."old_provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_villages" ADD CONSTRAINT "craft_villages_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_craft_village_id_craft_villages_id_fk" FOREIGN KEY ("craft_village_id") REFERENCES "public"."craft_villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subjects" ADD CONSTRAINT "subjects_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_subjects_subject_idx" ON "user_subjects" USING btree ("subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "commune_conversions_new_idx" ON "commune_conversions" USING btree ("new_commune_code");--> statement-breakpoint
CREATE INDEX "communes_province_idx" ON "communes" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "old_communes_district_idx" ON "old_communes" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "old_districts_province_idx" ON "old_districts" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","seq");--> statement-breakpoint
CREATE INDEX "craft_villages_commune_idx" ON "craft_villages" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "product_photos_product_idx" ON "product_photos" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_gtin_key" ON "products" USING btree ("gtin");--> statement-breakpoint
CREATE INDEX "products_subject_idx" ON "products" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "products_commune_idx" ON "products" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("taxonomy_scheme","category_code");--> statement-breakpoint
CREATE INDEX "products_name_search_idx" ON "products" USING gin (ocop_fold("name") gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "subjects_business_registration_key" ON "subjects" USING btree ("business_registration_no");--> statement-breakpoint
CREATE UNIQUE INDEX "subjects_tax_code_key" ON "subjects" USING btree ("tax_code");--> statement-breakpoint
CREATE INDEX "subjects_commune_idx" ON "subjects" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "subjects_name_search_idx" ON "subjects" USING gin (ocop_fold("name") gin_trgm_ops);