DROP INDEX "products_name_search_idx";--> statement-breakpoint
ALTER TABLE "craft_villages" ADD COLUMN "name_sort_key" text GENERATED ALWAYS AS (ocop_sort_key(name)) STORED;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "name_search" text GENERATED ALWAYS AS (ocop_fold(name)) STORED;--> statement-breakpoint
CREATE INDEX "craft_villages_name_order_idx" ON "craft_villages" USING btree ("name_sort_key" COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "products_name_trgm_idx" ON "products" USING gin ("name_search" gin_trgm_ops);