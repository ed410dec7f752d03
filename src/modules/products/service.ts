import { and, asc, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeEscape } from '../../db/sql';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message } from '../../server/errors';
import { today } from '../../shared/dates';
import { foldAccents } from '../../shared/text';
import { communeNames, getCommune } from '../admin-units';
import { recordAudit } from '../audit';
import { getSubjectLocation, registryScope } from '../subjects';
import { loadProductFor, type ProductRow, productNotFound, scopeCondition } from './access';
import { certificateFacts } from './certificate-facts';
import type {
  CreateProductInput,
  ListProductsQuery,
  PhotoView,
  ProductCounts,
  ProductListItem,
  ProductView,
  UpdateProductInput,
} from './contract';
import { productMeta } from './meta';
import { canCreateProductFor, canEditProduct } from './policy';
import {
  type CertificateFacts,
  deriveProductStatus,
  PRODUCT_STATUSES,
  type ProductStatus,
  STANDARDS,
} from './rules';
import { craftVillages, productPhotos, products } from './schema';
import { categoryCodesOfGroup, classify, currentScheme, findScheme } from './taxonomy';

type Ctx = { ctx: RequestContext };

export const messages = {
  subjectUnknown: { vi: 'Không có chủ thể này.', en: 'No such subject.' },
  subjectArchived: {
    vi: 'Chủ thể đã ngừng hoạt động (lưu trữ), không thêm được sản phẩm.',
    en: 'The subject is archived; it cannot get new products.',
  },
  schemeUnknown: { vi: 'Không có hệ phân loại này.', en: 'No such classification scheme.' },
  categoryUnknown: {
    vi: 'Mã phân loại không có trong hệ phân loại đã chọn.',
    en: 'This category code is not in the chosen classification scheme.',
  },
  communeUnknown: { vi: 'Không có xã với mã này.', en: 'No commune has this code.' },
  craftVillageUnknown: {
    vi: 'Không có làng nghề này (hoặc đã lưu trữ).',
    en: 'No such craft village (or it is archived).',
  },
  gtinTaken: {
    vi: 'GTIN đã được dùng cho sản phẩm khác.',
    en: 'This GTIN is already used by another product.',
  },
  nameTaken: {
    vi: 'Chủ thể đã có sản phẩm cùng tên.',
    en: 'This subject already has a product with this name.',
  },
  archived: {
    vi: 'Sản phẩm đã lưu trữ; hãy khôi phục trước khi sửa.',
    en: 'The product is archived; restore it before changing it.',
  },
  alreadyArchived: { vi: 'Sản phẩm đã được lưu trữ.', en: 'The product is already archived.' },
  notArchived: { vi: 'Sản phẩm chưa bị lưu trữ.', en: 'The product is not archived.' },
  alreadyRegistered: {
    vi: 'Sản phẩm đã được đăng ký vào danh mục.',
    en: 'The product is already registered.',
  },
} satisfies Record<string, Message>;

// ---------- views ----------

function toDate(value: Date | string): Date;
function toDate(value: Date | string | null): Date | null;
function toDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

/** The product's status from its records: registration and the certificates module's facts. */
function statusOf(
  ctx: RequestContext,
  row: { registeredAt: Date | null; archivedAt: Date | null },
  certificates: readonly CertificateFacts[],
): ProductStatus {
  return deriveProductStatus(
    { registeredAt: row.registeredAt, archivedAt: row.archivedAt, certificates },
    today(ctx.config.timeZone),
    ctx.config.timeZone,
  );
}

export function classificationView(scheme: string, code: string): ProductListItem['classification'] {
  const found = classify(scheme, code);
  if (!found) return { scheme, code, known: false, group: null, subGroup: null, set: null };
  return { scheme, code, known: true, group: found.group, subGroup: found.subGroup, set: found.set };
}

const standardLabels = new Map<string, { vi: string; en: string }>(
  STANDARDS.map((s) => [s.code, { vi: s.vi, en: s.en }]),
);

type ListRow = {
  id: string;
  name: string;
  subject_id: string;
  subject_name: string;
  commune_code: string;
  commune_name: string;
  province_code: string;
  province_name: string;
  taxonomy_scheme: string;
  category_code: string;
  gtin: string | null;
  registered_at: Date | string | null;
  archived_at: Date | string | null;
  updated_at: Date | string;
  version: number;
  cover_photo_id: string | null;
};

/** The first photo not removed of product `p`, by its order. */
const COVER_PHOTO = sql`(SELECT ph.id FROM product_photos ph WHERE ph.product_id = p.id AND ph.removed_at IS NULL
   ORDER BY ph.sort_order, ph.created_at, ph.id LIMIT 1)`;

const LIST_COLUMNS = sql`p.id, p.name, p.subject_id, s.name AS subject_name, p.commune_code,
  pc.name AS commune_name, pc.province_code, pp.name AS province_name, p.taxonomy_scheme,
  p.category_code, p.gtin, p.registered_at, p.archived_at, p.updated_at, p.version,
  ${COVER_PHOTO} AS cover_photo_id`;

const LIST_FROM = sql`FROM products p
  JOIN subjects s ON s.id = p.subject_id
  JOIN communes pc ON pc.code = p.commune_code
  JOIN provinces pp ON pp.code = pc.province_code`;

function toListItem(
  ctx: RequestContext,
  row: ListRow,
  certificates: readonly CertificateFacts[],
): ProductListItem {
  const registeredAt = toDate(row.registered_at);
  const archivedAt = toDate(row.archived_at);
  return {
    id: row.id,
    name: row.name,
    subject: { id: row.subject_id, name: row.subject_name },
    commune: { code: row.commune_code, name: row.commune_name },
    province: { code: row.province_code, name: row.province_name },
    classification: classificationView(row.taxonomy_scheme, row.category_code),
    gtin: row.gtin,
    status: statusOf(ctx, { registeredAt, archivedAt }, certificates),
    registeredAt,
    archivedAt,
    updatedAt: toDate(row.updated_at),
    version: Number(row.version),
    coverPhotoId: row.cover_photo_id,
  };
}

export function toPhotoView(row: typeof productPhotos.$inferSelect): PhotoView {
  return {
    id: row.id,
    sortOrder: row.sortOrder,
    mimeType: row.mimeType,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    thumbWidth: row.thumbWidth,
    thumbHeight: row.thumbHeight,
    thumbBytes: row.thumbBytes,
    createdAt: row.createdAt,
  };
}

export async function activePhotos(db: DbOrTx, productId: string) {
  return db
    .select()
    .from(productPhotos)
    .where(and(eq(productPhotos.productId, productId), isNull(productPhotos.removedAt)))
    .orderBy(asc(productPhotos.sortOrder), asc(productPhotos.createdAt), asc(productPhotos.id));
}

/** The full view of one product; access must have been checked by the caller. */
async function productView(ctx: RequestContext, db: DbOrTx, productId: string): Promise<ProductView> {
  const [row] = await queryRows<
    ListRow & {
      description: string;
      story: string;
      raw_material_origin: string;
      standards: string[] | string;
      other_standards: string;
      craft_village_id: string | null;
      craft_village_name: string | null;
      created_at: Date | string;
    }
  >(
    db,
    sql`SELECT ${LIST_COLUMNS}, p.description, p.story, p.raw_material_origin, p.standards,
          p.other_standards, p.craft_village_id, cv.name AS craft_village_name, p.created_at
        ${LIST_FROM}
        LEFT JOIN craft_villages cv ON cv.id = p.craft_village_id
        WHERE p.id = ${productId}`,
  );
  if (!row) throw productNotFound();
  const standardCodes: string[] =
    typeof row.standards === 'string' ? JSON.parse(row.standards) : row.standards;
  const photos = await activePhotos(db, productId);
  const certificates = await certificateFacts().factsForProducts(db, [productId]);
  return {
    ...toListItem(ctx, row, certificates.get(productId) ?? []),
    description: row.description,
    story: row.story,
    rawMaterialOrigin: row.raw_material_origin,
    standards: standardCodes.map((code) => ({
      code,
      label: standardLabels.get(code) ?? { vi: code, en: code },
    })),
    otherStandards: row.other_standards,
    craftVillage:
      row.craft_village_id && row.craft_village_name !== null
        ? { id: row.craft_village_id, name: row.craft_village_name }
        : null,
    createdAt: toDate(row.created_at),
    photos: photos.map(toPhotoView),
  };
}

// ---------- reading ----------

export function getProductMeta({ ctx }: Ctx) {
  return productMeta(ctx.config.uploadMaxBytes);
}

export async function getProduct({ ctx, input }: Ctx & { input: { id: string } }): Promise<ProductView> {
  const { db } = ctx.database;
  await loadProductFor(db, ctx.actor!, input.id, 'read');
  return productView(ctx, db, input.id);
}

/**
 * The derived status as an SQL condition on `p`, the same rule as `statusOf`: a started certificate
 * decides (certified, expired, revoked); without one, registration does (registered, draft).
 */
function statusCondition(status: ProductStatus, day: string): SQL {
  const fromCertificates = certificateFacts().statusSql(sql`p.id`, day);
  switch (status) {
    case 'draft':
      return sql`(p.registered_at IS NULL AND ${fromCertificates} IS NULL)`;
    case 'registered':
      return sql`(p.registered_at IS NOT NULL AND ${fromCertificates} IS NULL)`;
    case 'certified':
    case 'expired':
    case 'revoked':
      return sql`${fromCertificates} = ${status}`;
  }
}

/** Orders of the list, on the matches (`m`) and on the page's rows (`p`): the same columns. */
const SORTS: Record<ListProductsQuery['sort'], (alias: SQL) => SQL> = {
  // Vietnamese alphabetical order: the stored ocop_sort_key in byte order ("C"), id to break ties.
  name: (a) => sql`${a}.name_sort_key COLLATE "C" ASC, ${a}.id ASC`,
  '-name': (a) => sql`${a}.name_sort_key COLLATE "C" DESC, ${a}.id DESC`,
  updatedAt: (a) => sql`${a}.updated_at ASC, ${a}.id ASC`,
  '-updatedAt': (a) => sql`${a}.updated_at DESC, ${a}.id DESC`,
};

/** The columns of a list row that come from `products` alone, carried through the matches. */
const MATCH_COLUMNS = sql`p.id, p.name, p.name_sort_key, p.subject_id, p.commune_code, p.taxonomy_scheme,
  p.category_code, p.gtin, p.registered_at, p.archived_at, p.updated_at, p.version`;

type PageRow = Omit<ListRow, 'commune_name' | 'province_code' | 'province_name'>;

/**
 * One statement: the matching products are counted and paged, and only the page's rows look up
 * their subject's name and cover photo; commune and province names come from memory
 * (admin-units/commune-names.ts). With a search term the matches are collected once from the trigram index
 * (MATERIALIZED keeps the planner from walking the name-order index and filtering row by row, slow
 * for rare terms); without one, the page walks the order index and stops after `pageSize` rows.
 * The matches carry the row's own columns, so the page needs no second visit to `products`.
 */
export async function listProducts({ ctx, input }: Ctx & { input: ListProductsQuery }) {
  const { db } = ctx.database;
  const conditions: SQL[] = [scopeCondition(registryScope(ctx.actor!))];
  const q = input.q ? foldAccents(input.q) : '';
  if (q) {
    const byName = sql`p.name_search LIKE '%' || ocop_fold(${likeEscape(q)}) || '%'`;
    const digits = q.replace(/\s+/g, '');
    conditions.push(/^\d{8,14}$/.test(digits) ? sql`(${byName} OR p.gtin = ${digits})` : byName);
  }
  if (input.communeCode) conditions.push(sql`p.commune_code = ${input.communeCode}`);
  if (input.provinceCode) {
    // The province's communes as an array, found once: as a semi-join (IN (SELECT …)) the planner,
    // short of statistics on communes, expected a handful and rescanned the trigram index for each
    // of them (q=gao in a province of 166 communes: 13 ms; as an array 1.4 ms).
    conditions.push(
      sql`p.commune_code = ANY(ARRAY(SELECT code FROM communes WHERE province_code = ${input.provinceCode}))`,
    );
  }
  if (input.subjectId) conditions.push(sql`p.subject_id = ${input.subjectId}`);
  if (input.group || input.productSet) {
    const scheme = input.scheme ?? currentScheme().code;
    conditions.push(sql`p.taxonomy_scheme = ${scheme}`);
    if (input.group) conditions.push(codesCondition(categoryCodesOfGroup(scheme, input.group)));
    if (input.productSet) conditions.push(sql`p.category_code = ${input.productSet}`);
  } else if (input.scheme) {
    conditions.push(sql`p.taxonomy_scheme = ${input.scheme}`);
  }
  if (input.status) conditions.push(statusCondition(input.status, today(ctx.config.timeZone)));
  if (input.archived === 'exclude') conditions.push(sql`p.archived_at IS NULL`);
  if (input.archived === 'only') conditions.push(sql`p.archived_at IS NOT NULL`);
  const where = sql.join(conditions, sql` AND `);
  const order = SORTS[input.sort];

  const rows = await queryRows<{ total: string | number } & { [K in keyof PageRow]: PageRow[K] | null }>(
    db,
    sql`WITH matches AS ${sql.raw(q ? 'MATERIALIZED' : 'NOT MATERIALIZED')} (
          SELECT ${MATCH_COLUMNS} FROM products p WHERE ${where}
        ), page AS (
          SELECT * FROM matches m ORDER BY ${order(sql`m`)}
          LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}
        )
        SELECT (SELECT count(*) FROM matches) AS total, p.id, p.name, p.subject_id,
          (SELECT s.name FROM subjects s WHERE s.id = p.subject_id) AS subject_name, p.commune_code,
          p.taxonomy_scheme, p.category_code, p.gtin, p.registered_at, p.archived_at, p.updated_at,
          p.version, ${COVER_PHOTO} AS cover_photo_id
        FROM (SELECT 1) AS one LEFT JOIN page p ON true
        ORDER BY ${order(sql`p`)}`,
  );
  // A page past the end still brings one row, with the total and no product.
  const items = rows.filter((row): row is typeof row & PageRow => row.id !== null);
  const units = await communeNames(
    db,
    items.map((row) => row.commune_code),
  );
  const certificates = await certificateFacts().factsForProducts(
    db,
    items.map((row) => row.id),
  );
  return {
    items: items.map((row) => {
      const unit = units.get(row.commune_code)!;
      return toListItem(
        ctx,
        {
          ...row,
          commune_name: unit.communeName,
          province_code: unit.provinceCode,
          province_name: unit.provinceName,
        },
        certificates.get(row.id) ?? [],
      );
    }),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

function codesCondition(codes: string[]): SQL {
  if (codes.length === 0) return sql`false`;
  return sql`p.category_code IN (${sql.join(
    codes.map((c) => sql`${c}`),
    sql`, `,
  )})`;
}

/** Products in the caller's registry scope by derived status, archived ones left out: the home page's figures. */
export async function countProducts(ctx: RequestContext): Promise<ProductCounts> {
  const { db } = ctx.database;
  const [row] = await queryRows<Record<'total' | ProductStatus, string | number>>(
    db,
    sql`SELECT count(*) AS total,
          ${sql.join(
            PRODUCT_STATUSES.map(
              (status) =>
                sql`count(*) FILTER (WHERE ${statusCondition(status, today(ctx.config.timeZone))}) AS ${sql.raw(status)}`,
            ),
            sql`, `,
          )}
        FROM products p
        WHERE p.archived_at IS NULL AND ${scopeCondition(ctx.actor ? registryScope(ctx.actor) : null)}`,
  );
  return {
    total: Number(row?.total ?? 0),
    byStatus: Object.fromEntries(
      PRODUCT_STATUSES.map((status) => [status, Number(row?.[status] ?? 0)]),
    ) as ProductCounts['byStatus'],
  };
}

// ---------- writing ----------

export type ProductFields = {
  subjectId: string;
  name: string;
  taxonomyScheme: string;
  categoryCode: string;
  communeCode: string;
  craftVillageId: string | null;
  gtin: string | null;
};

/** Checks every reference of a product's fields; throws a 400 naming the first bad field. */
async function checkReferences(
  db: DbOrTx,
  fields: ProductFields,
  changed: (key: keyof ProductFields) => boolean,
) {
  if (changed('taxonomyScheme') || changed('categoryCode')) {
    if (!findScheme(fields.taxonomyScheme)) throw fieldError('taxonomyScheme', messages.schemeUnknown);
    if (!classify(fields.taxonomyScheme, fields.categoryCode))
      throw fieldError('categoryCode', messages.categoryUnknown);
  }
  if (changed('communeCode') && !(await getCommune(db, fields.communeCode))) {
    throw fieldError('communeCode', messages.communeUnknown);
  }
  if (changed('craftVillageId') && fields.craftVillageId) {
    const [village] = await db
      .select({ id: craftVillages.id })
      .from(craftVillages)
      .where(and(eq(craftVillages.id, fields.craftVillageId), isNull(craftVillages.archivedAt)))
      .limit(1);
    if (!village) throw fieldError('craftVillageId', messages.craftVillageUnknown);
  }
}

/** Refuses a GTIN or a subject+name another product already has (409 naming the field). */
async function checkDuplicates(tx: DbOrTx, fields: ProductFields, exceptId: string | null) {
  const notSelf = exceptId ? ne(products.id, exceptId) : undefined;
  if (fields.gtin) {
    const [taken] = await tx
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.gtin, fields.gtin), notSelf))
      .limit(1);
    if (taken) throw fieldError('gtin', messages.gtinTaken, 'CONFLICT');
  }
  const [sameName] = await tx
    .select({ id: products.id })
    .from(products)
    .where(
      and(
        eq(products.subjectId, fields.subjectId),
        isNull(products.archivedAt),
        sql`${products.nameSearch} = ocop_fold(${fields.name})`,
        notSelf,
      ),
    )
    .limit(1);
  if (sameName) throw fieldError('name', messages.nameTaken, 'CONFLICT');
}

/** Maps a unique violation that slipped past the checks (a concurrent write) onto the same 409. */
function rethrowConflict(error: unknown): never {
  const constraint = uniqueViolation(error);
  if (constraint === 'products_gtin_key') throw fieldError('gtin', messages.gtinTaken, 'CONFLICT');
  if (constraint !== null) throw new AppError('CONFLICT');
  throw error;
}

async function subjectForWrite(ctx: RequestContext, db: DbOrTx, subjectId: string) {
  const subject = await getSubjectLocation(db, subjectId);
  // A subject outside the actor's scope is answered like a missing one, so ids reveal nothing.
  if (!subject || !canEditProduct(ctx.actor!, subject))
    throw fieldError('subjectId', messages.subjectUnknown);
  if (!canCreateProductFor(ctx.actor!, subject)) throw fieldError('subjectId', messages.subjectArchived);
  return subject;
}

export async function createProduct({
  ctx,
  input,
}: Ctx & { input: CreateProductInput }): Promise<ProductView> {
  const { db } = ctx.database;
  await subjectForWrite(ctx, db, input.subjectId);
  const fields: ProductFields = {
    subjectId: input.subjectId,
    name: input.name,
    taxonomyScheme: input.taxonomyScheme ?? currentScheme().code,
    categoryCode: input.categoryCode,
    communeCode: input.communeCode,
    craftVillageId: input.craftVillageId ?? null,
    gtin: input.gtin ?? null,
  };
  await checkReferences(db, fields, () => true);
  const id = await db
    .transaction(async (tx) => {
      await checkDuplicates(tx, fields, null);
      const [row] = await tx
        .insert(products)
        .values({
          ...fields,
          description: input.description ?? '',
          story: input.story ?? '',
          rawMaterialOrigin: input.rawMaterialOrigin ?? '',
          standards: input.standards ?? [],
          otherStandards: input.otherStandards ?? '',
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'product.created',
        entityType: 'product',
        entityId: row!.id,
        after: row,
      });
      return row!.id;
    })
    .catch(rethrowConflict);
  return productView(ctx, db, id);
}

function assertVersion(product: ProductRow, version: number | undefined) {
  if (version !== undefined && product.version !== version) throw new AppError('STALE');
}

export async function updateProduct({
  ctx,
  input,
}: Ctx & { input: UpdateProductInput & { id: string } }): Promise<ProductView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const { product: current } = await loadProductFor(db, actor, input.id, 'edit');
  if (current.archivedAt) throw new AppError('CONFLICT', messages.archived);
  assertVersion(current, input.version);
  if (input.subjectId !== undefined && input.subjectId !== current.subjectId) {
    await subjectForWrite(ctx, db, input.subjectId);
  }
  const fields: ProductFields = {
    subjectId: input.subjectId ?? current.subjectId,
    name: input.name ?? current.name,
    taxonomyScheme: input.taxonomyScheme ?? current.taxonomyScheme,
    categoryCode: input.categoryCode ?? current.categoryCode,
    communeCode: input.communeCode ?? current.communeCode,
    craftVillageId: input.craftVillageId !== undefined ? input.craftVillageId : current.craftVillageId,
    gtin: input.gtin !== undefined ? input.gtin : current.gtin,
  };
  await checkReferences(db, fields, (key) => fields[key] !== current[key]);
  await db
    .transaction(async (tx) => {
      const { product: before } = await loadProductFor(tx, actor, input.id, 'edit', { forUpdate: true });
      assertVersion(before, input.version);
      await checkDuplicates(tx, fields, before.id);
      const [after] = await tx
        .update(products)
        .set({
          ...fields,
          description: input.description ?? before.description,
          story: input.story ?? before.story,
          rawMaterialOrigin: input.rawMaterialOrigin ?? before.rawMaterialOrigin,
          standards: input.standards ?? before.standards,
          otherStandards: input.otherStandards ?? before.otherStandards,
          version: before.version + 1,
          updatedAt: new Date(),
        })
        .where(and(eq(products.id, before.id), eq(products.version, before.version)))
        .returning();
      if (!after) throw new AppError('STALE');
      await recordAudit(tx, ctx, {
        action: 'product.updated',
        entityType: 'product',
        entityId: before.id,
        before,
        after,
      });
    })
    .catch(rethrowConflict);
  return productView(ctx, db, input.id);
}

type StateChange = 'archive' | 'restore' | 'register';

/** Archive, restore and register: one-field state changes, each once, each audited. */
async function changeState(
  ctx: RequestContext,
  input: { id: string; version?: number | undefined },
  change: StateChange,
): Promise<ProductView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  await loadProductFor(db, actor, input.id, 'edit');
  await db
    .transaction(async (tx) => {
      const { product: before } = await loadProductFor(tx, actor, input.id, 'edit', { forUpdate: true });
      assertVersion(before, input.version);
      const now = new Date();
      let set: Partial<ProductRow>;
      if (change === 'archive') {
        if (before.archivedAt) throw new AppError('CONFLICT', messages.alreadyArchived);
        set = { archivedAt: now };
      } else if (change === 'restore') {
        if (!before.archivedAt) throw new AppError('CONFLICT', messages.notArchived);
        // Back among the active products, it must not collide with one created meanwhile.
        await checkDuplicates(tx, { ...before, gtin: null }, before.id);
        set = { archivedAt: null };
      } else {
        if (before.archivedAt) throw new AppError('CONFLICT', messages.archived);
        if (before.registeredAt) throw new AppError('CONFLICT', messages.alreadyRegistered);
        set = { registeredAt: now };
      }
      const [after] = await tx
        .update(products)
        .set({ ...set, version: before.version + 1, updatedAt: now })
        .where(eq(products.id, before.id))
        .returning();
      const action = (
        {
          archive: 'product.archived',
          restore: 'product.restored',
          register: 'product.registered',
        } as const
      )[change];
      await recordAudit(tx, ctx, { action, entityType: 'product', entityId: before.id, before, after });
    })
    .catch(rethrowConflict);
  return productView(ctx, db, input.id);
}

export const archiveProduct = ({
  ctx,
  input,
}: Ctx & { input: { id: string; version?: number | undefined } }) => changeState(ctx, input, 'archive');

export const restoreProduct = ({
  ctx,
  input,
}: Ctx & { input: { id: string; version?: number | undefined } }) => changeState(ctx, input, 'restore');

/** Registers the product into the registry (sets registered_at once); editing stays allowed afterwards. */
export const registerProduct = ({
  ctx,
  input,
}: Ctx & { input: { id: string; version?: number | undefined } }) => changeState(ctx, input, 'register');
