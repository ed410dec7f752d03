import { sql } from 'drizzle-orm';
import {
  boolean,
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
 * The installation's Ed25519 signing key for verification codes, kept in the database (on
 * PostgreSQL and embedded alike) so every app instance signs with the same key and a restored
 * backup keeps verifying old labels. Whoever can read this table can forge codes, but they could
 * also change the certificates themselves: protect database backups like the database.
 * - One active key (`retired_at` null), enforced by a partial unique index, so two instances
 *   starting at once cannot create two; retired keys stay published so printed labels still verify.
 * - `kid` is derived from the public key; `public_key` is the raw 32-byte key in base64url (the JWK
 *   "x"), `private_key_pem` PKCS#8.
 */
export const verificationSigningKeys = pgTable(
  'verification_signing_keys',
  {
    kid: text('kid').primaryKey(),
    publicKey: text('public_key').notNull(),
    privateKeyPem: text('private_key_pem').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('verification_signing_keys_one_active').on(sql`(true)`).where(sql`${t.retiredAt} is null`),
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
