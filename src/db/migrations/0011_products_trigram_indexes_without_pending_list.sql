DROP INDEX "craft_villages_name_search_idx";--> statement-breakpoint
DROP INDEX "products_name_trgm_idx";--> statement-breakpoint
CREATE INDEX "craft_villages_name_search_idx" ON "craft_villages" USING gin (ocop_fold("name") gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "products_name_trgm_idx" ON "products" USING gin ("name_search" gin_trgm_ops) WITH (fastupdate=false);