import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeContains } from '../../db/sql';
import type { Actor, RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { validationMessages } from '../../server/validation';
import { foldAccents } from '../../shared/text';
import { communes, getCommune, provinces } from '../admin-units';
import { recordAudit } from '../audit';
import type {
  ArchiveSubjectInput,
  CreateSubjectInput,
  ListSubjectsInput,
  SubjectMeta,
  SubjectPage,
  SubjectSort,
  SubjectView,
  UpdateSubjectInput,
} from './contract';
import { subjectMetaOfRules } from './contract';
import {
  canArchiveSubject,
  canCreateSubjectIn,
  canReadSubject,
  canUpdateSubject,
  registryScope,
  type SubjectLocation,
} from './policy';
import {
  checkSubjectFacts,
  effectiveRegistrationNo,
  normaliseRegistrationNo,
  SALES_CHANNELS,
  type SubjectFacts,
  type SubjectOrigin,
  type SubjectProblem,
} from './rules';
import { subjects } from './schema';

type Ctx = { ctx: RequestContext };

export const MESSAGES = {
  notFound: { vi: 'Không tìm thấy chủ thể.', en: 'Subject not found.' },
  unknownCommune: { vi: 'Không có xã với mã này.', en: 'No commune has this code.' },
  outsideArea: {
    vi: 'Bạn chỉ được đặt chủ thể trong địa bàn mình quản lý.',
    en: 'You can only place subjects in the area you manage.',
  },
  archived: {
    vi: 'Chủ thể đã lưu trữ; khôi phục trước khi sửa.',
    en: 'The subject is archived; restore it before editing.',
  },
  alreadyArchived: { vi: 'Chủ thể đã được lưu trữ.', en: 'The subject is already archived.' },
  notArchived: { vi: 'Chủ thể chưa bị lưu trữ.', en: 'The subject is not archived.' },
  duplicateTaxCode: {
    vi: 'Mã số thuế này đã thuộc về một chủ thể khác.',
    en: 'Another subject already has this tax code.',
  },
  duplicateRegistration: {
    vi: 'Số đăng ký kinh doanh này đã thuộc về một chủ thể khác.',
    en: 'Another subject already has this business registration number.',
  },
} satisfies Record<string, Message>;

// ---------- reading ----------

type SubjectRow = typeof subjects.$inferSelect & {
  communeName: string;
  provinceCode: string;
  provinceName: string;
};

const viewColumns = {
  ...getTableColumns(subjects),
  communeName: communes.name,
  provinceCode: communes.provinceCode,
  provinceName: provinces.name,
};

/** Subjects with the names of their current commune and province (what every view shows). */
export function selectRows(db: DbOrTx) {
  return db
    .select(viewColumns)
    .from(subjects)
    .innerJoin(communes, eq(communes.code, subjects.communeCode))
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode));
}

export function toView(row: SubjectRow): SubjectView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    businessRegistrationNo: row.businessRegistrationNo,
    taxCode: row.taxCode,
    address: row.address,
    communeCode: row.communeCode,
    communeName: row.communeName,
    provinceCode: row.provinceCode,
    provinceName: row.provinceName,
    legalRepresentative: row.legalRepresentative,
    legalRepresentativeGender: row.legalRepresentativeGender,
    womanLed: row.womanLed,
    workforceTotal: row.workforceTotal,
    workforceLocal: row.workforceLocal,
    workforceTrained: row.workforceTrained,
    salesChannels: row.salesChannels.map((c) => ({ kind: c.kind, detail: c.detail ?? null })),
    phone: row.phone,
    email: row.email,
    website: row.website,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    archivedAt: row.archivedAt,
  };
}

const locationOf = (row: SubjectRow): SubjectLocation => ({
  id: row.id,
  communeCode: row.communeCode,
  provinceCode: row.provinceCode,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findRow(db: DbOrTx, id: string, forUpdate = false): Promise<SubjectRow | null> {
  if (!UUID.test(id)) return null;
  const query = selectRows(db).where(eq(subjects.id, id)).limit(1);
  const [row] = forUpdate ? await query.for('update', { of: subjects }) : await query;
  return row ?? null;
}

/** A subject the actor may read; any other answers 404, so ids outside one's area reveal nothing. */
async function findVisible(db: DbOrTx, actor: Actor, id: string, forUpdate = false): Promise<SubjectRow> {
  const row = await findRow(db, id, forUpdate);
  if (!row || !canReadSubject(actor, locationOf(row))) throw notFound(MESSAGES.notFound);
  return row;
}

export async function findExistingSubjectIds(db: DbOrTx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: subjects.id }).from(subjects).where(inArray(subjects.id, ids));
  return rows.map((r) => r.id);
}

export type SubjectLocationWithStatus = SubjectLocation & { archivedAt: Date | null };

/** Where a subject is and whether it is archived, for modules that check scope through it (products). */
export async function getSubjectLocation(db: DbOrTx, id: string): Promise<SubjectLocationWithStatus | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select({
      id: subjects.id,
      communeCode: subjects.communeCode,
      provinceCode: communes.provinceCode,
      archivedAt: subjects.archivedAt,
    })
    .from(subjects)
    .innerJoin(communes, eq(communes.code, subjects.communeCode))
    .where(eq(subjects.id, id))
    .limit(1);
  return row ?? null;
}

export async function getSubject({ ctx, input }: Ctx & { input: { id: string } }): Promise<SubjectView> {
  return toView(await findVisible(ctx.database.db, ctx.actor!, input.id));
}

export function getSubjectMeta(): SubjectMeta {
  return subjectMetaOfRules();
}

/** The registry slice an actor sees as a SQL condition; `null` when they see nothing. */
function scopeCondition(actor: Actor): SQL | undefined | null {
  const scope = registryScope(actor);
  if (!scope) return null;
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'province':
      return eq(communes.provinceCode, scope.provinceCode);
    case 'commune':
      return eq(subjects.communeCode, scope.communeCode);
    case 'subjects':
      return scope.subjectIds.length ? inArray(subjects.id, scope.subjectIds) : null;
  }
}

// Names page by the Vietnamese sort key (migration 0004), every order ends with the id so pages never overlap.
const nameKey = sql`ocop_sort_key(${subjects.name}) COLLATE "C"`;
const ORDERS: Record<SubjectSort, SQL[]> = {
  name: [sql`${nameKey} ASC`, asc(subjects.id)],
  '-name': [sql`${nameKey} DESC`, desc(subjects.id)],
  updatedAt: [asc(subjects.updatedAt), asc(subjects.id)],
  '-updatedAt': [desc(subjects.updatedAt), desc(subjects.id)],
  createdAt: [asc(subjects.createdAt), asc(subjects.id)],
  '-createdAt': [desc(subjects.createdAt), desc(subjects.id)],
};

export async function listSubjects({ ctx, input }: Ctx & { input: ListSubjectsInput }): Promise<SubjectPage> {
  const { db } = ctx.database;
  const empty: SubjectPage = { items: [], total: 0, page: input.page, pageSize: input.pageSize };
  const scope = scopeCondition(ctx.actor!);
  if (scope === null) return empty;
  const conditions: (SQL | undefined)[] = [scope];
  if (!input.includeArchived) conditions.push(isNull(subjects.archivedAt));
  if (input.provinceCode) conditions.push(eq(communes.provinceCode, input.provinceCode));
  if (input.communeCode) conditions.push(eq(subjects.communeCode, input.communeCode));
  if (input.type) conditions.push(eq(subjects.type, input.type));
  const q = input.q?.trim() ?? '';
  if (q) {
    const folded = foldAccents(q);
    conditions.push(
      or(
        folded ? sql`ocop_fold(${subjects.name}) LIKE ${likeContains(folded)}` : undefined,
        eq(subjects.taxCode, q),
        eq(subjects.businessRegistrationNo, normaliseRegistrationNo(q)),
      ),
    );
  }
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    selectRows(db)
      .where(where)
      .orderBy(...ORDERS[input.sort])
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db
      .select({ n: count() })
      .from(subjects)
      .innerJoin(communes, eq(communes.code, subjects.communeCode))
      .where(where),
  ]);
  return { ...empty, items: rows.map(toView), total: total?.n ?? 0 };
}

export type SubjectCounts = {
  active: number;
  archived: number;
  womanLed: number;
  /** Active subjects selling through a supermarket, convenience store or e-commerce platform. */
  modernChannels: number;
  /** Active subjects per type code. */
  byType: Record<string, number>;
};

/** The home page's figures, counted within the actor's registry scope. */
export async function countSubjects(ctx: RequestContext): Promise<SubjectCounts> {
  const counts: SubjectCounts = { active: 0, archived: 0, womanLed: 0, modernChannels: 0, byType: {} };
  const scope = scopeCondition(ctx.actor!);
  if (scope === null) return counts;
  const modernKinds = SALES_CHANNELS.filter((c) => c.modern).map((c) => sql`${c.code}`);
  const live = sql`${subjects.archivedAt} IS NULL`;
  const rows = await ctx.database.db
    .select({
      type: subjects.type,
      active: sql<number>`count(*) FILTER (WHERE ${live})`.mapWith(Number),
      archived: sql<number>`count(*) FILTER (WHERE ${isNotNull(subjects.archivedAt)})`.mapWith(Number),
      womanLed: sql<number>`count(*) FILTER (WHERE ${live} AND ${subjects.womanLed})`.mapWith(Number),
      modernChannels: sql<number>`count(*) FILTER (WHERE ${live} AND EXISTS (
        SELECT 1 FROM jsonb_array_elements(${subjects.salesChannels}) AS channel
        WHERE channel->>'kind' IN (${sql.join(modernKinds, sql`, `)})))`.mapWith(Number),
    })
    .from(subjects)
    .innerJoin(communes, eq(communes.code, subjects.communeCode))
    .where(scope)
    .groupBy(subjects.type);
  for (const row of rows) {
    counts.active += row.active;
    counts.archived += row.archived;
    counts.womanLed += row.womanLed;
    counts.modernChannels += row.modernChannels;
    if (row.active > 0) counts.byType[row.type] = row.active;
  }
  return counts;
}

// ---------- writing ----------

/** The stored fields of a subject, after defaults and the enterprise registration rule. */
export type SubjectRecord = Omit<SubjectFacts, 'salesChannels'> & {
  name: string;
  address: string;
  communeCode: string;
  legalRepresentative: string;
  legalRepresentativeGender: string;
  womanLed: boolean;
  salesChannels: { kind: string; detail: string | null }[];
  phone: string | null;
  email: string | null;
  website: string | null;
};

function problemsError(problems: SubjectProblem[]): AppError {
  const fields = Object.fromEntries(
    problems.map((p) => [p.path, validationMessages[p.message] ?? { vi: p.message, en: p.message }]),
  );
  return new AppError('VALIDATION', undefined, fields);
}

export function checkRecord(record: SubjectRecord, origin: SubjectOrigin = 'form'): SubjectRecord {
  const problems = checkSubjectFacts(record, origin);
  if (problems.length) throw problemsError(problems);
  return { ...record, businessRegistrationNo: effectiveRegistrationNo(record) };
}

const DUPLICATE_FIELDS: Record<string, ['taxCode' | 'businessRegistrationNo', Message]> = {
  subjects_tax_code_key: ['taxCode', MESSAGES.duplicateTaxCode],
  subjects_business_registration_key: ['businessRegistrationNo', MESSAGES.duplicateRegistration],
};

/**
 * The field a unique violation (23505) of the subjects table is about, or null for any other error.
 */
export function duplicateFieldOf(error: unknown): 'taxCode' | 'businessRegistrationNo' | null {
  const constraint = uniqueViolation(error);
  return constraint ? (DUPLICATE_FIELDS[constraint]?.[0] ?? null) : null;
}

export function duplicateError(field: 'taxCode' | 'businessRegistrationNo'): AppError {
  const message = field === 'taxCode' ? MESSAGES.duplicateTaxCode : MESSAGES.duplicateRegistration;
  return new AppError('CONFLICT', message, { [field]: message });
}

/** Checked before writing for a clear answer; two concurrent writes can still race, so the caller maps 23505 too. */
async function assertUnique(tx: DbOrTx, record: SubjectRecord, exceptId?: string): Promise<void> {
  const others = exceptId ? ne(subjects.id, exceptId) : undefined;
  const fields: Record<string, Message> = {};
  if (record.taxCode) {
    const [taken] = await tx
      .select({ id: subjects.id })
      .from(subjects)
      .where(and(eq(subjects.taxCode, record.taxCode), others))
      .limit(1);
    if (taken) fields.taxCode = MESSAGES.duplicateTaxCode;
  }
  if (record.businessRegistrationNo) {
    const [taken] = await tx
      .select({ id: subjects.id })
      .from(subjects)
      .where(and(eq(subjects.businessRegistrationNo, record.businessRegistrationNo), others))
      .limit(1);
    if (taken) fields.businessRegistrationNo = MESSAGES.duplicateRegistration;
  }
  const [first] = Object.values(fields);
  if (first) throw new AppError('CONFLICT', first, fields);
}

async function mappingDuplicates<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field = duplicateFieldOf(error);
    throw field ? duplicateError(field) : error;
  }
}

/** The commune a subject is placed in must exist and lie in the actor's area (403 names the field). */
async function placeIn(db: DbOrTx, actor: Actor, communeCode: string): Promise<void> {
  const commune = await getCommune(db, communeCode);
  if (!commune) throw fieldError('communeCode', MESSAGES.unknownCommune);
  if (!canCreateSubjectIn(actor, { communeCode: commune.code, provinceCode: commune.provinceCode })) {
    throw new AppError('FORBIDDEN', MESSAGES.outsideArea, { communeCode: MESSAGES.outsideArea });
  }
}

export function storedValues(record: SubjectRecord) {
  return {
    name: record.name,
    type: record.type,
    businessRegistrationNo: record.businessRegistrationNo,
    taxCode: record.taxCode,
    address: record.address,
    communeCode: record.communeCode,
    legalRepresentative: record.legalRepresentative,
    legalRepresentativeGender: record.legalRepresentativeGender,
    womanLed: record.womanLed,
    workforceTotal: record.workforceTotal,
    workforceLocal: record.workforceLocal,
    workforceTrained: record.workforceTrained,
    salesChannels: record.salesChannels,
    phone: record.phone,
    email: record.email,
    website: record.website,
  };
}

async function readView(tx: DbOrTx, id: string): Promise<SubjectView> {
  const row = await findRow(tx, id);
  return toView(row!);
}

/** A new subject's record from its input, with the defaults the single and the bulk create share (unchecked). */
export function recordOfInput(input: CreateSubjectInput): SubjectRecord {
  return {
    name: input.name,
    type: input.type,
    businessRegistrationNo: input.businessRegistrationNo ?? null,
    taxCode: input.taxCode ?? null,
    address: input.address,
    communeCode: input.communeCode,
    legalRepresentative: input.legalRepresentative,
    legalRepresentativeGender: input.legalRepresentativeGender,
    womanLed: input.womanLed ?? input.legalRepresentativeGender === 'female',
    workforceTotal: input.workforceTotal ?? null,
    workforceLocal: input.workforceLocal ?? null,
    workforceTrained: input.workforceTrained ?? null,
    salesChannels: (input.salesChannels ?? []).map((c) => ({ kind: c.kind, detail: c.detail ?? null })),
    phone: input.phone ?? null,
    email: input.email ?? null,
    website: input.website ?? null,
  };
}

/** `origin: 'import'` (never from HTTP) lets an enterprise come without its tax code, see `SubjectOrigin`. */
export async function createSubject({
  ctx,
  input,
  origin = 'form',
}: Ctx & { input: CreateSubjectInput; origin?: SubjectOrigin }): Promise<SubjectView> {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const record = checkRecord(recordOfInput(input), origin);
  await placeIn(db, actor, record.communeCode);
  return mappingDuplicates(() =>
    db.transaction(async (tx) => {
      await assertUnique(tx, record);
      const [inserted] = await tx
        .insert(subjects)
        .values(storedValues(record))
        .returning({ id: subjects.id });
      const view = await readView(tx, inserted!.id);
      await recordAudit(tx, ctx, {
        action: 'subject.created',
        entityType: 'subject',
        entityId: view.id,
        after: view,
      });
      return view;
    }),
  );
}

/** `undefined` keeps the stored value; `null` clears it. */
const pick = <T>(next: T | undefined, current: T): T => (next === undefined ? current : next);

export async function updateSubject({
  ctx,
  input,
}: Ctx & { input: UpdateSubjectInput & { id: string } }): Promise<SubjectView> {
  const actor = ctx.actor!;
  return mappingDuplicates(() =>
    ctx.database.db.transaction(async (tx) => {
      const current = await findVisible(tx, actor, input.id, true);
      if (!canUpdateSubject(actor, locationOf(current))) throw new AppError('FORBIDDEN');
      if (current.archivedAt) throw new AppError('CONFLICT', MESSAGES.archived);
      if (current.version !== input.version) throw new AppError('STALE');
      const record = checkRecord({
        name: pick(input.name, current.name),
        type: pick<string>(input.type, current.type),
        businessRegistrationNo: pick(input.businessRegistrationNo, current.businessRegistrationNo),
        taxCode: pick(input.taxCode, current.taxCode),
        address: pick(input.address, current.address),
        communeCode: pick(input.communeCode, current.communeCode),
        legalRepresentative: pick(input.legalRepresentative, current.legalRepresentative),
        legalRepresentativeGender: pick(input.legalRepresentativeGender, current.legalRepresentativeGender),
        womanLed: pick(input.womanLed, current.womanLed),
        workforceTotal: pick(input.workforceTotal, current.workforceTotal),
        workforceLocal: pick(input.workforceLocal, current.workforceLocal),
        workforceTrained: pick(input.workforceTrained, current.workforceTrained),
        salesChannels: input.salesChannels
          ? input.salesChannels.map((c) => ({ kind: c.kind, detail: c.detail ?? null }))
          : current.salesChannels.map((c) => ({ kind: c.kind, detail: c.detail ?? null })),
        phone: pick(input.phone, current.phone),
        email: pick(input.email, current.email),
        website: pick(input.website, current.website),
      });
      // Moving a subject is placing it anew: the target commune must be in the actor's area.
      if (record.communeCode !== current.communeCode) await placeIn(tx, actor, record.communeCode);
      await assertUnique(tx, record, current.id);
      await tx
        .update(subjects)
        .set({ ...storedValues(record), version: current.version + 1, updatedAt: new Date() })
        .where(and(eq(subjects.id, current.id), eq(subjects.version, input.version)));
      const after = await readView(tx, current.id);
      await recordAudit(tx, ctx, {
        action: 'subject.updated',
        entityType: 'subject',
        entityId: current.id,
        before: toView(current),
        after,
      });
      return after;
    }),
  );
}

async function setArchived(
  ctx: RequestContext,
  id: string,
  archive: boolean,
  reason: string | null,
): Promise<SubjectView> {
  const actor = ctx.actor!;
  return ctx.database.db.transaction(async (tx) => {
    const current = await findVisible(tx, actor, id, true);
    if (!canArchiveSubject(actor, locationOf(current))) throw new AppError('FORBIDDEN');
    if (archive === (current.archivedAt !== null)) {
      throw new AppError('CONFLICT', archive ? MESSAGES.alreadyArchived : MESSAGES.notArchived);
    }
    const now = new Date();
    await tx
      .update(subjects)
      .set({ archivedAt: archive ? now : null, version: current.version + 1, updatedAt: now })
      .where(eq(subjects.id, current.id));
    const after = await readView(tx, current.id);
    await recordAudit(tx, ctx, {
      action: archive ? 'subject.archived' : 'subject.restored',
      entityType: 'subject',
      entityId: current.id,
      before: toView(current),
      after: reason ? { ...after, reason } : after,
    });
    return after;
  });
}

/** Archiving hides a subject from lists and stops new products; nothing is deleted. */
export async function archiveSubject({
  ctx,
  input,
}: Ctx & { input: { id: string } & NonNullable<ArchiveSubjectInput> }): Promise<SubjectView> {
  return setArchived(ctx, input.id, true, input.reason ?? null);
}

export async function restoreSubject({
  ctx,
  input,
}: Ctx & { input: { id: string } & NonNullable<ArchiveSubjectInput> }): Promise<SubjectView> {
  return setArchived(ctx, input.id, false, input.reason ?? null);
}
