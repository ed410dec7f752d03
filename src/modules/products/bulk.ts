/**
 * Many products at once (a registry import): the live products of a file's subjects in one query,
 * and the creation of many products in a few multi-row INSERTs with the checks of `createProduct`
 * (the subject in the actor's scope and active, the classification, the commune, the craft village,
 * no GTIN or subject + name taken). Runs inside the caller's transaction; the audit entries are
 * handed back to the caller, who writes them with `recordAudits` in that transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, inArray, isNull, sql } from 'drizzle-orm';
import { BULK_CHUNK, BulkItemError, chunked, forItem } from '../../db/bulk';
import { type DbOrTx, queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import type { Actor } from '../../server/context';
import { fieldError } from '../../server/errors';
import { communes } from '../admin-units';
import type { AuditWrite } from '../audit';
import { getSubjectLocations } from '../subjects';
import type { CreateProductInput } from './contract';
import { canCreateProductFor, canEditProduct } from './policy';
import { craftVillages, products } from './schema';
import { messages, type ProductFields } from './service';
import { classify, currentScheme, findScheme } from './taxonomy';

export type ExistingProduct = { id: string; subjectId: string; name: string };

/** The live products of these subjects (what a file's rows are matched against), in one query per 500 subjects. */
export async function findProductsOfSubjects(
  db: DbOrTx,
  subjectIds: readonly string[],
): Promise<ExistingProduct[]> {
  const out: ExistingProduct[] = [];
  for (const slice of chunked([...new Set(subjectIds)])) {
    out.push(
      ...(await db
        .select({ id: products.id, subjectId: products.subjectId, name: products.name })
        .from(products)
        .where(and(inArray(products.subjectId, slice), isNull(products.archivedAt)))),
    );
  }
  return out;
}

/** What a certificate copies from a product made here: its place, names and classification. */
export type CreatedProduct = {
  id: string;
  name: string;
  subjectId: string;
  subjectName: string;
  communeCode: string;
  provinceCode: string;
  taxonomyScheme: string;
  categoryCode: string;
};

/**
 * Creates the products in input order and returns them in that order. A refused input throws a
 * `BulkItemError` naming its index, with the error `createProduct` would have thrown.
 */
export async function createProductsInBulk(
  tx: DbOrTx,
  actor: Actor,
  inputs: readonly CreateProductInput[],
  audits: AuditWrite[],
): Promise<CreatedProduct[]> {
  if (!inputs.length) return [];
  const fields: ProductFields[] = inputs.map((input) => ({
    subjectId: input.subjectId,
    name: input.name,
    taxonomyScheme: input.taxonomyScheme ?? currentScheme().code,
    categoryCode: input.categoryCode,
    communeCode: input.communeCode,
    craftVillageId: input.craftVillageId ?? null,
    gtin: input.gtin ?? null,
  }));

  const subjectsById = await getSubjectLocations(
    tx,
    fields.map((f) => f.subjectId),
  );
  const communeProvince = new Map<string, string>();
  for (const slice of chunked([...new Set(fields.map((f) => f.communeCode))])) {
    const rows = await tx
      .select({ code: communes.code, provinceCode: communes.provinceCode })
      .from(communes)
      .where(inArray(communes.code, slice));
    for (const row of rows) communeProvince.set(row.code, row.provinceCode);
  }
  const villageIds = [...new Set(fields.map((f) => f.craftVillageId).filter((v): v is string => !!v))];
  const liveVillages = new Set<string>();
  for (const slice of chunked(villageIds)) {
    const rows = await tx
      .select({ id: craftVillages.id })
      .from(craftVillages)
      .where(and(inArray(craftVillages.id, slice), isNull(craftVillages.archivedAt)));
    for (const row of rows) liveVillages.add(row.id);
  }
  fields.forEach((f, i) => {
    forItem(i, () => {
      const subject = subjectsById.get(f.subjectId);
      // A subject outside the actor's scope is answered like a missing one, as the single create does.
      if (!subject || !canEditProduct(actor, subject)) throw fieldError('subjectId', messages.subjectUnknown);
      if (!canCreateProductFor(actor, subject)) throw fieldError('subjectId', messages.subjectArchived);
      if (!findScheme(f.taxonomyScheme)) throw fieldError('taxonomyScheme', messages.schemeUnknown);
      if (!classify(f.taxonomyScheme, f.categoryCode))
        throw fieldError('categoryCode', messages.categoryUnknown);
      if (!communeProvince.has(f.communeCode)) throw fieldError('communeCode', messages.communeUnknown);
      if (f.craftVillageId && !liveVillages.has(f.craftVillageId))
        throw fieldError('craftVillageId', messages.craftVillageUnknown);
    });
  });

  // Duplicates: a GTIN taken, or a subject's live product with the same folded name (stored or in the batch).
  const gtins = fields.map((f) => f.gtin).filter((g): g is string => !!g);
  const takenGtins = new Set<string>();
  for (const slice of chunked([...new Set(gtins)])) {
    const rows = await tx.select({ gtin: products.gtin }).from(products).where(inArray(products.gtin, slice));
    for (const row of rows) if (row.gtin) takenGtins.add(row.gtin);
  }
  // Folded by the database's own ocop_fold, so the batch compares exactly as the stored name_search.
  const folded: string[] = [];
  for (const slice of chunked(fields.map((f) => f.name))) {
    const rows = await queryRows<{ folded: string }>(
      tx,
      sql`select ocop_fold(n) as folded from jsonb_array_elements_text(${JSON.stringify(slice)}::jsonb) with ordinality as u(n, i) order by i`,
    );
    folded.push(...rows.map((r) => r.folded));
  }
  const takenNames = new Set<string>();
  for (const slice of chunked([...new Set(fields.map((f) => f.subjectId))])) {
    const rows = await tx
      .select({ subjectId: products.subjectId, nameSearch: products.nameSearch })
      .from(products)
      .where(and(inArray(products.subjectId, slice), isNull(products.archivedAt)));
    for (const row of rows) takenNames.add(`${row.subjectId}|${row.nameSearch}`);
  }
  fields.forEach((f, i) => {
    forItem(i, () => {
      if (f.gtin) {
        if (takenGtins.has(f.gtin)) throw fieldError('gtin', messages.gtinTaken, 'CONFLICT');
        takenGtins.add(f.gtin);
      }
      const key = `${f.subjectId}|${folded[i]}`;
      if (takenNames.has(key)) throw fieldError('name', messages.nameTaken, 'CONFLICT');
      takenNames.add(key);
    });
  });

  const created: CreatedProduct[] = [];
  for (const [c, slice] of chunked(inputs).entries()) {
    // Ids made here, so each product is known by its id whatever order RETURNING gives.
    const values = slice.map((input, j) => ({
      id: randomUUID(),
      ...fields[c * BULK_CHUNK + j]!,
      description: input.description ?? '',
      story: input.story ?? '',
      rawMaterialOrigin: input.rawMaterialOrigin ?? '',
      standards: input.standards ?? [],
      otherStandards: input.otherStandards ?? '',
    }));
    const rows = await tx
      .insert(products)
      .values(values)
      .returning()
      .catch((error: unknown) => {
        // A concurrent write took a GTIN between the check and the insert.
        if (uniqueViolation(error) === 'products_gtin_key')
          throw new BulkItemError(c * BULK_CHUNK, fieldError('gtin', messages.gtinTaken, 'CONFLICT'));
        throw error;
      });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const { id } of values) {
      const row = byId.get(id)!;
      const subject = subjectsById.get(row.subjectId)!;
      created.push({
        id: row.id,
        name: row.name,
        subjectId: row.subjectId,
        subjectName: subject.name,
        communeCode: row.communeCode,
        provinceCode: communeProvince.get(row.communeCode)!,
        taxonomyScheme: row.taxonomyScheme,
        categoryCode: row.categoryCode,
      });
      audits.push({ action: 'product.created', entityType: 'product', entityId: row.id, after: row });
    }
  }
  return created;
}
