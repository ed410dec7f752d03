import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The installation's Ed25519 signing keys for verification codes, kept in the database (on
 * PostgreSQL and embedded alike) so every app instance signs with the same key and a restored
 * backup keeps verifying old labels.
 * - One active key (`retired_at` null), enforced by a partial unique index, so two instances
 *   starting at once cannot create two; retired keys stay published so printed labels still verify.
 * - `kid` is derived from the public key; `public_key` is the raw 32-byte key in base64url (the JWK
 *   "x").
 * - The private key is sealed (AES-256-GCM, envelope.ts) with a key-encryption key kept outside the
 *   database (kek.ts): `private_key_sealed` is the ciphertext, `kek_id` names the KEK that sealed it.
 *   Whoever reads the database or a backup cannot sign with it.
 * - `private_key_pem` is where the previous release kept the private key in plaintext. Migrations
 *   cannot seal it (the KEK is not in the database), so the column stays, nullable: the first start of
 *   this release seals every such row and empties the column in one transaction (key-service.ts),
 *   and nothing writes it again. It is not dropped in the same release because every start applies
 *   all pending migrations before the app can seal: a drop would destroy the key of an installation
 *   upgrading from the plaintext release (or copying in its PGlite database). A later release drops
 *   it with a migration that first stops, naming this release, if any row still holds a PEM.
 *   The check constraint keeps each row one thing: plaintext from the previous release, or sealed.
 */
export const verificationSigningKeys = pgTable(
  'verification_signing_keys',
  {
    kid: text('kid').primaryKey(),
    publicKey: text('public_key').notNull(),
    legacyPrivateKeyPem: text('private_key_pem'),
    kekId: text('kek_id'),
    privateKeySealed: text('private_key_sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('verification_signing_keys_one_active').on(sql`(true)`).where(sql`${t.retiredAt} is null`),
    check(
      'verification_signing_keys_sealed_or_legacy',
      sql`(${t.privateKeySealed} IS NOT NULL AND ${t.kekId} IS NOT NULL AND ${t.legacyPrivateKeyPem} IS NULL)
        OR (${t.privateKeySealed} IS NULL AND ${t.kekId} IS NULL AND ${t.legacyPrivateKeyPem} IS NOT NULL)`,
    ),
  ],
);

/**
 * Every scan of a verification code or click from the public search, for the counterfeit analysis
 * that comes later. No personal data: the IP is an HMAC with the day's salt (see below) and the
 * User-Agent is reduced to coarse facts.
 * - Append-only and ready to be partitioned by month on `scanned_at`: the primary key includes it,
 *   no foreign keys point in or out (`certificate_id` is a plain reference), nothing updates rows.
 * - `result` is the status shown, or 'unverified' (signature missing or wrong), or 'not_found'.
 */
export const verificationScans = pgTable(
  'verification_scans',
  {
    id: uuid('id').notNull().defaultRandom(),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
    code: text('code').notNull(),
    certificateId: uuid('certificate_id'),
    signatureValid: boolean('signature_valid').notNull(),
    result: text('result').notNull(),
    channel: text('channel').notNull(),
    ipHash: text('ip_hash').notNull(),
    clientOs: text('client_os').notNull(),
    clientBrowser: text('client_browser').notNull(),
    clientMobile: boolean('client_mobile').notNull(),
    clientBot: boolean('client_bot').notNull(),
    lang: text('lang').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scannedAt, t.id] }),
    index('verification_scans_certificate_idx').on(t.certificateId, t.scannedAt),
    index('verification_scans_result_idx').on(t.result, t.scannedAt),
  ],
);

/**
 * The salt of each day's IP hashes. Within a day the same address gives the same hash (repeated
 * scans can be counted); salts older than yesterday are deleted, after which no one (not even with
 * the database) can link a hash back to an address by trying all IPv4 addresses.
 */
export const verificationScanSalts = pgTable('verification_scan_salts', {
  day: date('day', { mode: 'string' }).primaryKey(),
  salt: text('salt').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
