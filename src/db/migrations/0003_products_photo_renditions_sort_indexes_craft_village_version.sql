ALTER TABLE "craft_villages" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "product_photos" ADD COLUMN "source_mime_type" text NOT NULL;--> statement-breakpoint
ALTER TABLE "product_photos" ADD COLUMN "thumb_width" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "product_photos" ADD COLUMN "thumb_height" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "product_photos" ADD COLUMN "thumb_bytes" integer NOT NULL;--> statement-breakpoint
CREATE INDEX "craft_villages_name_search_idx" ON "craft_villages" USING gin (ocop_fold("name") gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "craft_villages_commune_name_key" ON "craft_villages" USING btree ("commune_code",ocop_fold("name")) WHERE "craft_villages"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "products_name_sort_idx" ON "products" USING btree (ocop_fold("name"),"id");--> statement-breakpoint
CREATE INDEX "products_updated_idx" ON "products" USING btree ("updated_at","id");