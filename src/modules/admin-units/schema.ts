import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Administrative units, loaded from the versioned files in data/admin-units/ (official national
 * statistical codes, zero-padded text: province "37", commune "14296").
 * - `provinces` / `communes`: the two-tier units in force since 2025-07-01.
 * - `old_*`: the 63 provinces, their districts and communes before the reform; historic records keep them.
 * - `commune_conversions`: the official old → new table; an old commune with several rows was
 *   split ("partial") and can never be resolved to one current commune without a person deciding.
 *   `note` keeps the table's own words ("Nhập một phần diện tích") for the person who decides.
 * - `old_district_conversions`: island districts that had no communes and became a special zone.
 * - Rows are upserted by code when a new data version loads, never deleted: subjects, products and
 *   historic records reference them (a unit missing from a later version stays, unreferenced or not).
 * - `reference_data`: which version (checksum of data/admin-units/manifest.json) is loaded, so an
 *   unchanged start costs one query.
 */
export const provinces = pgTable('provinces', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  divisionType: text('division_type').notNull(),
});

export const communes = pgTable(
  'communes',
  {
    code: text('code').primaryKey(),
    provinceCode: text('province_code')
      .notNull()
      .references(() => provinces.code),
    name: text('name').notNull(),
    divisionType: text('division_type').notNull(),
  },
  (t) => [
    index('communes_province_idx').on(t.provinceCode),
    index('communes_name_search_idx').using('gin', sql`ocop_fold(${t.name}) gin_trgm_ops`),
  ],
);

export const oldProvinces = pgTable('old_provinces', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const oldDistricts = pgTable(
  'old_districts',
  {
    code: text('code').primaryKey(),
    provinceCode: text('province_code')
      .notNull()
      .references(() => oldProvinces.code),
    name: text('name').notNull(),
  },
  (t) => [index('old_districts_province_idx').on(t.provinceCode)],
);

export const oldCommunes = pgTable(
  'old_communes',
  {
    code: text('code').primaryKey(),
    districtCode: text('district_code')
      .notNull()
      .references(() => oldDistricts.code),
    name: text('name').notNull(),
    divisionType: text('division_type').notNull(),
    /** Other spellings the official conversion table uses for this commune (matching only). */
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index('old_communes_district_idx').on(t.districtCode),
    index('old_communes_name_search_idx').using('gin', sql`ocop_fold(${t.name}) gin_trgm_ops`),
  ],
);

export const communeConversions = pgTable(
  'commune_conversions',
  {
    oldCommuneCode: text('old_commune_code')
      .notNull()
      .references(() => oldCommunes.code),
    newCommuneCode: text('new_commune_code')
      .notNull()
      .references(() => communes.code),
    kind: text('kind', { enum: ['whole', 'partial'] }).notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.oldCommuneCode, t.newCommuneCode] }),
    index('commune_conversions_new_idx').on(t.newCommuneCode),
  ],
);

export const oldDistrictConversions = pgTable(
  'old_district_conversions',
  {
    oldDistrictCode: text('old_district_code')
      .notNull()
      .references(() => oldDistricts.code),
    newCommuneCode: text('new_commune_code')
      .notNull()
      .references(() => communes.code),
    kind: text('kind', { enum: ['whole', 'partial'] }).notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.oldDistrictCode, t.newCommuneCode] })],
);

export const referenceData = pgTable('reference_data', {
  name: text('name').primaryKey(),
  checksum: text('checksum').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});
