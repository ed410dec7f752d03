import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { communes } from '../admin-units/schema';

export type SalesChannel = { kind: string; detail?: string | null | undefined };

/**
 * Subjects ("chủ thể"): the producers that own OCOP products.
 * - Archived, never deleted (`archived_at`); archived subjects keep their history and products.
 * - Business registration number and tax code are unique among all subjects, archived or not.
 * - The current commune decides which officers see the subject; the province is the commune's.
 * - `version` increases on every update, for optimistic concurrency (a stale edit is refused).
 * - Lists page by `ocop_sort_key(name) COLLATE "C"` (Vietnamese order, see src/shared/text.ts) or by
 *   the last change, each with the id as tie-breaker so pages never overlap.
 */
export const subjects = pgTable(
  'subjects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    businessRegistrationNo: text('business_registration_no'),
    taxCode: text('tax_code'),
    address: text('address').notNull(),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    legalRepresentative: text('legal_representative').notNull(),
    legalRepresentativeGender: text('legal_representative_gender').notNull(),
    womanLed: boolean('woman_led').notNull().default(false),
    workforceTotal: integer('workforce_total'),
    workforceLocal: integer('workforce_local'),
    workforceTrained: integer('workforce_trained'),
    salesChannels: jsonb('sales_channels').$type<SalesChannel[]>().notNull().default([]),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('subjects_business_registration_key').on(t.businessRegistrationNo),
    uniqueIndex('subjects_tax_code_key').on(t.taxCode),
    index('subjects_commune_idx').on(t.communeCode),
    index('subjects_name_search_idx').using('gin', sql`ocop_fold(${t.name}) gin_trgm_ops`),
    index('subjects_name_sort_idx').on(sql`ocop_sort_key(${t.name}) COLLATE "C"`, t.id),
    index('subjects_updated_idx').on(t.updatedAt, t.id),
  ],
);
