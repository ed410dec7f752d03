DROP INDEX "products_name_sort_idx";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "name_sort_key" text GENERATED ALWAYS AS (ocop_sort_key(name)) STORED;--> statement-breakpoint
CREATE INDEX "products_name_order_idx" ON "products" USING btree ("name_sort_key" COLLATE "C","id");