-- Extensions and the accent-folding function the search indexes are built on.
-- ocop_fold must give the same result as foldAccents() in src/shared/text.ts:
-- lower case, accents removed, đ → d, runs of white space collapsed.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is only STABLE (it reads its dictionary by search_path); naming the dictionary
-- explicitly makes this wrapper safe to declare IMMUTABLE so it can back an index.
CREATE OR REPLACE FUNCTION ocop_fold(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT btrim(regexp_replace(public.unaccent('public.unaccent'::regdictionary, lower(input)), '\s+', ' ', 'g')) $$;
