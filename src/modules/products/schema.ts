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
import { subjects } from '../subjects/schema';

/**
 * Craft villages ("làng nghề"): a small registry products may link to. Archived, never deleted.
 * - One active village of a name per commune (compared accent- and case-insensitively).
 * - `version` increases on every update, for optimistic concurrency.
 */
export const craftVillages = pgTable(
  'craft_villages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Vietnamese order key (ocop_sort_key), stored: computing it per row at query time is slow. */
    nameSortKey: text('name_sort_key').generatedAlwaysAs(sql`ocop_sort_key(name)`),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    recognitionYear: integer('recognition_year'),
    traditional: boolean('traditional').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    index('craft_villages_commune_idx').on(t.communeCode),
    // fastupdate off: see products_name_trgm_idx.
    index('craft_villages_name_search_idx')
      .using('gin', sql`ocop_fold(${t.name}) gin_trgm_ops`)
      .with({ fastupdate: false }),
    index('craft_villages_name_order_idx').on(sql`${t.nameSortKey} COLLATE "C"`, t.id),
    uniqueIndex('craft_villages_commune_name_key')
      .on(t.communeCode, sql`ocop_fold(${t.name})`)
      .where(sql`${t.archivedAt} is null`),
  ],
);

/**
 * Products. Classification is a (scheme, category) pair from data/product-taxonomy.json:
 * scheme "2026" for the 6 groups → 26 product sets of the current rules, "1048" for products
 * classed under 1048/QĐ-TTg, which keep their old class.
 * - The status (draft, registered, certified, expired, revoked) is never stored: it is derived
 *   from `registered_at` and, once they exist, the product's certificates.
 * - GTIN is unique when present, archived products included (a GTIN names one trade item).
 *   A subject has one active product of a name (checked by the service, accent-insensitively).
 * - Archived, never deleted. `version` increases on every write, for optimistic concurrency.
 * - Visibility follows the subject (subjects/policy.ts); `commune_code` is where it is produced.
 */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => subjects.id),
    name: text('name').notNull(),
    /**
     * Vietnamese order key (ocop_sort_key, see src/shared/text.ts), stored because computing it per row
     * at query time costs ~0.13 ms a row on PGlite: a search matching thousands of products would pay it.
     */
    nameSortKey: text('name_sort_key').generatedAlwaysAs(sql`ocop_sort_key(name)`),
    /** ocop_fold(name), stored so the trigram search rechecks a plain column instead of folding each candidate. */
    nameSearch: text('name_search').generatedAlwaysAs(sql`ocop_fold(name)`),
    taxonomyScheme: text('taxonomy_scheme').notNull(),
    categoryCode: text('category_code').notNull(),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    description: text('description').notNull().default(''),
    story: text('story').notNull().default(''),
    rawMaterialOrigin: text('raw_material_origin').notNull().default(''),
    standards: jsonb('standards').$type<string[]>().notNull().default([]),
    otherStandards: text('other_standards').notNull().default(''),
    gtin: text('gtin'),
    craftVillageId: uuid('craft_village_id').references(() => craftVillages.id),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('products_gtin_key').on(t.gtin),
    index('products_subject_idx').on(t.subjectId),
    index('products_commune_idx').on(t.communeCode),
    index('products_category_idx').on(t.taxonomyScheme, t.categoryCode),
    // fastupdate off: new entries go straight into the index. With it on, they wait in a pending list
    // that every search reads through in full until a VACUUM merges it; the embedded database has
    // no autovacuum, so up to 4 MB of it stayed there (a search at 20,000 products: ~10 ms → ~1 ms).
    index('products_name_trgm_idx')
      .using('gin', sql`${t.nameSearch} gin_trgm_ops`)
      .with({ fastupdate: false }),
    // Orders of the list: Vietnamese by name (byte order of the key), and by last change.
    index('products_name_order_idx').on(sql`${t.nameSortKey} COLLATE "C"`, t.id),
    index('products_updated_idx').on(t.updatedAt, t.id),
  ],
);

/**
 * Product photos: a normalised full image (longest edge ≤ 2000 px) and a thumbnail, both re-encoded
 * JPEG without metadata, stored under DATA_DIR/uploads/products/<productId>/<photoId>[.thumb].jpg.
 * - `source_mime_type` is sniffed from the uploaded bytes, never taken from the client.
 * - At most 10 photos per product that are not removed; removing sets `removed_at` and keeps the files.
 */
export const productPhotos = pgTable(
  'product_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    mimeType: text('mime_type').notNull(),
    sourceMimeType: text('source_mime_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    thumbWidth: integer('thumb_width').notNull(),
    thumbHeight: integer('thumb_height').notNull(),
    thumbBytes: integer('thumb_bytes').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('product_photos_product_idx').on(t.productId)],
);
