CREATE TABLE "certificate_number_sequences" (
	"province_code" text NOT NULL,
	"year" integer NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "certificate_number_sequences_province_code_year_pk" PRIMARY KEY("province_code","year")
);
--> statement-breakpoint
CREATE TABLE "certificate_revocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"certificate_id" uuid NOT NULL,
	"number" text NOT NULL,
	"reason_category" text NOT NULL,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"product_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"product_name" text NOT NULL,
	"product_name_search" text GENERATED ALWAYS AS (ocop_fold(product_name)) STORED,
	"subject_name" text NOT NULL,
	"province_code" text NOT NULL,
	"commune_code" text,
	"original_address" text,
	"taxonomy_scheme" text NOT NULL,
	"category_code" text NOT NULL,
	"star" smallint NOT NULL,
	"rule_set_code" text NOT NULL,
	"issue_kind" text NOT NULL,
	"issuer_name" text NOT NULL,
	"issuer_level" text NOT NULL,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"supersedes_id" uuid,
	"corrects_id" uuid,
	"correction_reason" text,
	"source" text NOT NULL,
	"source_ref" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_star_check" CHECK ("certificates"."star" between 3 and 5),
	CONSTRAINT "certificates_version_check" CHECK ("certificates"."version" >= 1),
	CONSTRAINT "certificates_validity_check" CHECK ("certificates"."valid_to" >= "certificates"."valid_from"),
	CONSTRAINT "certificates_source_check" CHECK ("certificates"."source" in ('decision', 'import'))
);
--> statement-breakpoint
CREATE TABLE "verification_scan_salts" (
	"day" date PRIMARY KEY NOT NULL,
	"salt" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_scans" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code" text NOT NULL,
	"certificate_id" uuid,
	"signature_valid" boolean NOT NULL,
	"result" text NOT NULL,
	"channel" text NOT NULL,
	"ip_hash" text NOT NULL,
	"client_os" text NOT NULL,
	"client_browser" text NOT NULL,
	"client_mobile" boolean NOT NULL,
	"client_bot" boolean NOT NULL,
	"lang" text NOT NULL,
	CONSTRAINT "verification_scans_scanned_at_id_pk" PRIMARY KEY("scanned_at","id")
);
--> statement-breakpoint
CREATE TABLE "verification_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key_pem" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "certificate_number_sequences" ADD CONSTRAINT "certificate_number_sequences_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_revocations" ADD CONSTRAINT "certificate_revocations_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_revocations" ADD CONSTRAINT "certificate_revocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_supersedes_id_certificates_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_corrects_id_certificates_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_revocations_number_key" ON "certificate_revocations" USING btree ("number");--> statement-breakpoint
CREATE INDEX "certificate_revocations_certificate_idx" ON "certificate_revocations" USING btree ("certificate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_number_version_key" ON "certificates" USING btree ("number","version");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_corrects_key" ON "certificates" USING btree ("corrects_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_supersedes_key" ON "certificates" USING btree ("supersedes_id") WHERE corrects_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_source_ref_key" ON "certificates" USING btree ("source","source_ref");--> statement-breakpoint
CREATE INDEX "certificates_product_idx" ON "certificates" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "certificates_subject_idx" ON "certificates" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "certificates_province_idx" ON "certificates" USING btree ("province_code","decision_date");--> statement-breakpoint
CREATE INDEX "certificates_valid_to_idx" ON "certificates" USING btree ("valid_to");--> statement-breakpoint
CREATE INDEX "certificates_name_trgm_idx" ON "certificates" USING gin ("product_name_search" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "verification_scans_certificate_idx" ON "verification_scans" USING btree ("certificate_id","scanned_at");--> statement-breakpoint
CREATE INDEX "verification_scans_result_idx" ON "verification_scans" USING btree ("result","scanned_at");--> statement-breakpoint
CREATE UNIQUE INDEX "verification_signing_keys_one_active" ON "verification_signing_keys" USING btree ((true)) WHERE "verification_signing_keys"."retired_at" is null;--> statement-breakpoint
-- Certificates and revocations are legal records: a correction is a new row, never an edit (schema.ts).
CREATE OR REPLACE FUNCTION certificates_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are immutable: record a correction or a revocation instead', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER certificates_immutable BEFORE UPDATE OR DELETE ON "certificates"
  FOR EACH ROW EXECUTE FUNCTION certificates_refuse_change();--> statement-breakpoint
CREATE TRIGGER certificate_revocations_immutable BEFORE UPDATE OR DELETE ON "certificate_revocations"
  FOR EACH ROW EXECUTE FUNCTION certificates_refuse_change();
