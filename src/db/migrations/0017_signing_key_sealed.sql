-- The signing key's private half moves to private_key_sealed (AES-256-GCM under a key-encryption key
-- kept outside the database, named by kek_id). A migration cannot seal (it has no KEK), so
-- private_key_pem only becomes nullable: the app seals each plaintext row and empties it at start-up.
ALTER TABLE "verification_signing_keys" ALTER COLUMN "private_key_pem" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_signing_keys" ADD COLUMN "kek_id" text;--> statement-breakpoint
ALTER TABLE "verification_signing_keys" ADD COLUMN "private_key_sealed" text;--> statement-breakpoint
ALTER TABLE "verification_signing_keys" ADD CONSTRAINT "verification_signing_keys_sealed_or_legacy" CHECK (("verification_signing_keys"."private_key_sealed" IS NOT NULL AND "verification_signing_keys"."kek_id" IS NOT NULL AND "verification_signing_keys"."private_key_pem" IS NULL)
        OR ("verification_signing_keys"."private_key_sealed" IS NULL AND "verification_signing_keys"."kek_id" IS NULL AND "verification_signing_keys"."private_key_pem" IS NOT NULL));