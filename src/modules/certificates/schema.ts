import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import { communes, provinces } from '../admin-units/schema';
import { products } from '../products/schema';
import { subjects } from '../subjects/schema';

/**
 * OCOP certificates ("giấy chứng nhận"), one row per version. Rules:
 * - Rows are never updated or deleted (a trigger refuses it, migration "certificates"): a
 *   correction is a new row with the same number, `version` + 1 and `corrects_id` pointing at the
 *   version it corrects (at most one correction per version, so versions form a line); a
 *   re-recognition or upgrade is a new number whose `supersedes_id` points at the replaced one.
 * - Names and the address are copied from the decision as issued (`product_name`, `subject_name`,
 *   `original_address` for historic records written with pre-2025 units), while `commune_code` is
 *   the current commune the record resolves to (null when an imported old address is ambiguous).
 * - `issuer_name` is free text so authorities that no longer exist (district People's Committees
 *   before 07/2025) stay as written; `issuer_level` says which level it was.
 * - `decision_date`, `valid_from`, `valid_to` are legal dates; `valid_to` is inclusive. All three are
 *   null together only when a registry gave the recognition year alone: `recognition_year` keeps it
 *   and the status is "date unknown" until a correction sets the decision's date (check below).
 * - The status is never stored: it is derived from these rows, revocations and the day (rules.ts).
 * - `source` is 'decision' (issued here, from a recognition decision) or 'import' (an existing
 *   registry); (`source`, `source_ref`) is unique so a re-import finds what it imported before.
 */
export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    version: integer('version').notNull().default(1),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => subjects.id),
    productName: text('product_name').notNull(),
    /** ocop_fold(product_name), stored for the public accent-insensitive search's trigram index. */
    productNameSearch: text('product_name_search').generatedAlwaysAs(sql`ocop_fold(product_name)`),
    subjectName: text('subject_name').notNull(),
    provinceCode: text('province_code')
      .notNull()
      .references(() => provinces.code),
    communeCode: text('commune_code').references(() => communes.code),
    originalAddress: text('original_address'),
    taxonomyScheme: text('taxonomy_scheme').notNull(),
    categoryCode: text('category_code').notNull(),
    star: smallint('star').notNull(),
    ruleSetCode: text('rule_set_code').notNull(),
    issueKind: text('issue_kind').notNull(),
    issuerName: text('issuer_name').notNull(),
    issuerLevel: text('issuer_level').notNull(),
    decisionNumber: text('decision_number').notNull(),
    /** Null with `valid_from`/`valid_to` only for an imported record whose registry gives the year alone. */
    decisionDate: date('decision_date', { mode: 'string' }),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    /** The recognition year a registry gave without a day ("2021"); kept so the day is never invented. */
    recognitionYear: smallint('recognition_year'),
    supersedesId: uuid('supersedes_id').references((): AnyPgColumn => certificates.id),
    correctsId: uuid('corrects_id').references((): AnyPgColumn => certificates.id),
    correctionReason: text('correction_reason'),
    source: text('source').notNull(),
    sourceRef: text('source_ref'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificates_number_version_key').on(t.number, t.version),
    uniqueIndex('certificates_corrects_key').on(t.correctsId),
    // A certificate is replaced once; its corrections repeat the link, so only first versions count.
    uniqueIndex('certificates_supersedes_key').on(t.supersedesId).where(sql`corrects_id is null`),
    uniqueIndex('certificates_source_ref_key').on(t.source, t.sourceRef),
    index('certificates_product_idx').on(t.productId),
    index('certificates_subject_idx').on(t.subjectId),
    index('certificates_province_idx').on(t.provinceCode, t.decisionDate),
    index('certificates_valid_to_idx').on(t.validTo),
    index('certificates_name_trgm_idx').using('gin', sql`${t.productNameSearch} gin_trgm_ops`),
    check('certificates_star_check', sql`${t.star} between 3 and 5`),
    check('certificates_version_check', sql`${t.version} >= 1`),
    check('certificates_validity_check', sql`${t.validTo} >= ${t.validFrom}`),
    check(
      'certificates_date_or_year_check',
      sql`(${t.decisionDate} is not null and ${t.validFrom} is not null and ${t.validTo} is not null) or (${t.decisionDate} is null and ${t.validFrom} is null and ${t.validTo} is null and ${t.recognitionYear} between 1990 and 2100)`,
    ),
    check('certificates_source_check', sql`${t.source} in ('decision', 'import')`),
  ],
);

/**
 * Revocations ("thu hồi"): one per certificate number, never updated or deleted. It names the
 * version that was current when revoked, and applies to the number (every version).
 * `decision_date` is the date from which the certificate counts as revoked.
 */
export const certificateRevocations = pgTable(
  'certificate_revocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id),
    number: text('number').notNull(),
    reasonCategory: text('reason_category').notNull(),
    decisionNumber: text('decision_number').notNull(),
    decisionDate: date('decision_date', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificate_revocations_number_key').on(t.number),
    index('certificate_revocations_certificate_idx').on(t.certificateId),
  ],
);

/**
 * The last sequence number used per province and decision year. Taken with one
 * INSERT … ON CONFLICT DO UPDATE … RETURNING inside the issuing transaction, so two officers (or two
 * app instances) never get the same number, and a rolled-back issue leaves no hole... except when a
 * later statement fails after the row lock is released; holes are harmless, duplicates are not.
 */
export const certificateNumberSequences = pgTable(
  'certificate_number_sequences',
  {
    provinceCode: text('province_code')
      .notNull()
      .references(() => provinces.code),
    year: integer('year').notNull(),
    lastValue: integer('last_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.year] })],
);
