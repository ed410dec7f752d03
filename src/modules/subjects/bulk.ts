/**
 * Many subjects at once (a registry import): the lookups of a whole file in one query each, and
 * the creation of many subjects in a few multi-row INSERTs with exactly the checks of `createSubject`
 * (the pure record rules, the actor's area, unique tax code and registration number). Runs inside
 * the caller's transaction; the audit entries are handed back to the caller, who writes them with
 * `recordAudits` in that transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { BULK_CHUNK, BulkItemError, chunked, forItem } from '../../db/bulk';
import type { DbOrTx } from '../../db/client';
import type { Actor } from '../../server/context';
import { AppError } from '../../server/errors';
import { communes } from '../admin-units';
import type { AuditWrite } from '../audit';
import type { CreateSubjectInput, SubjectView } from './contract';
import { canCreateSubjectIn, canReadSubject } from './policy';
import { subjects } from './schema';
import {
  checkRecord,
  duplicateError,
  duplicateFieldOf,
  MESSAGES,
  recordOfInput,
  type SubjectLocationWithStatus,
  type SubjectRecord,
  selectRows,
  storedValues,
  toView,
} from './service';

export type ExistingSubject = { id: string; name: string; taxCode: string | null; communeCode: string };

/**
 * The live (not archived) subjects the actor may see that have one of these tax codes or lie in one
 * of these communes — what a file's rows are matched against, in two queries whatever its size.
 */
export async function findSubjectsForImport(
  db: DbOrTx,
  actor: Actor,
  keys: { taxCodes: string[]; communeCodes: string[] },
): Promise<ExistingSubject[]> {
  const taxCodes = [...new Set(keys.taxCodes.filter(Boolean))];
  const communeCodes = [...new Set(keys.communeCodes)];
  if (!taxCodes.length && !communeCodes.length) return [];
  const rows = await selectRows(db).where(
    and(
      isNull(subjects.archivedAt),
      or(
        taxCodes.length ? inArray(subjects.taxCode, taxCodes) : undefined,
        communeCodes.length ? inArray(subjects.communeCode, communeCodes) : undefined,
      ),
    ),
  );
  return rows
    .filter((r) =>
      canReadSubject(actor, { id: r.id, communeCode: r.communeCode, provinceCode: r.provinceCode }),
    )
    .map((r) => ({ id: r.id, name: r.name, taxCode: r.taxCode, communeCode: r.communeCode }));
}

/**
 * Creates the subjects in input order and returns their views in that order. A refused input
 * throws a `BulkItemError` naming its index, with the error `createSubject` would have thrown;
 * nothing is written then (the caller's transaction rolls back).
 */
export async function createSubjectsInBulk(
  tx: DbOrTx,
  actor: Actor,
  inputs: readonly CreateSubjectInput[],
  audits: AuditWrite[],
): Promise<SubjectView[]> {
  if (!inputs.length) return [];
  // Only a registry import creates subjects in bulk: an enterprise may come without its tax code.
  const records: SubjectRecord[] = inputs.map((input, i) =>
    forItem(i, () => checkRecord(recordOfInput(input), 'import')),
  );

  // The communes: they exist and lie in the actor's area (one query for the batch).
  const codes = [...new Set(records.map((r) => r.communeCode))];
  const found = new Map<string, string>();
  for (const slice of chunked(codes)) {
    const rows = await tx
      .select({ code: communes.code, provinceCode: communes.provinceCode })
      .from(communes)
      .where(inArray(communes.code, slice));
    for (const row of rows) found.set(row.code, row.provinceCode);
  }
  records.forEach((record, i) => {
    forItem(i, () => {
      const provinceCode = found.get(record.communeCode);
      if (!provinceCode)
        throw new AppError('VALIDATION', MESSAGES.unknownCommune, { communeCode: MESSAGES.unknownCommune });
      if (!canCreateSubjectIn(actor, { communeCode: record.communeCode, provinceCode }))
        throw new AppError('FORBIDDEN', MESSAGES.outsideArea, { communeCode: MESSAGES.outsideArea });
    });
  });

  // Tax codes and registration numbers: unique among stored subjects and within the batch.
  for (const field of ['taxCode', 'businessRegistrationNo'] as const) {
    const column = field === 'taxCode' ? subjects.taxCode : subjects.businessRegistrationNo;
    const values = records.map((r) => r[field]).filter((v): v is string => !!v);
    const taken = new Set<string>();
    for (const slice of chunked([...new Set(values)])) {
      const rows = await tx.select({ value: column }).from(subjects).where(inArray(column, slice));
      for (const row of rows) if (row.value) taken.add(row.value);
    }
    records.forEach((record, i) => {
      const value = record[field];
      if (!value) return;
      if (taken.has(value)) throw new BulkItemError(i, duplicateError(field));
      taken.add(value);
    });
  }

  const views: SubjectView[] = [];
  for (const [c, slice] of chunked(records).entries()) {
    // Ids made here, so each record is known by its id whatever order RETURNING gives.
    const values = slice.map((record) => ({ id: randomUUID(), ...storedValues(record) }));
    await tx
      .insert(subjects)
      .values(values)
      .catch((error: unknown) => {
        // A concurrent write took a tax code between the check and the insert.
        const field = duplicateFieldOf(error);
        throw field ? new BulkItemError(c * BULK_CHUNK, duplicateError(field)) : error;
      });
    const ids = values.map((v) => v.id);
    const byId = new Map((await selectRows(tx).where(inArray(subjects.id, ids))).map((r) => [r.id, r]));
    for (const id of ids) {
      const view = toView(byId.get(id)!);
      views.push(view);
      audits.push({ action: 'subject.created', entityType: 'subject', entityId: id, after: view });
    }
  }
  return views;
}

/** Where each subject is and whether it is archived (the bulk form of `getSubjectLocation`). */
export async function getSubjectLocations(
  db: DbOrTx,
  ids: readonly string[],
): Promise<Map<string, SubjectLocationWithStatus & { name: string }>> {
  const out = new Map<string, SubjectLocationWithStatus & { name: string }>();
  for (const slice of chunked([...new Set(ids)])) {
    const rows = await db
      .select({
        id: subjects.id,
        communeCode: subjects.communeCode,
        provinceCode: communes.provinceCode,
        archivedAt: subjects.archivedAt,
        name: subjects.name,
      })
      .from(subjects)
      .innerJoin(communes, eq(communes.code, subjects.communeCode))
      .where(inArray(subjects.id, slice));
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}
