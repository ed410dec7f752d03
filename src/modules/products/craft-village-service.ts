import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeEscape } from '../../db/sql';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { localDate } from '../../shared/dates';
import { foldAccents } from '../../shared/text';
import { getCommune } from '../admin-units';
import { recordAudit } from '../audit';
import type {
  CraftVillageView,
  CreateCraftVillageInput,
  ListCraftVillagesQuery,
  UpdateCraftVillageInput,
} from './contract';
import { canReadCraftVillages, canWriteCraftVillage } from './policy';
import { recognitionYearProblem } from './rules';
import { craftVillages } from './schema';

/** The registry of craft villages ("làng nghề") products may link to. */

type Ctx = { ctx: RequestContext };

const messages = {
  communeUnknown: { vi: 'Không có xã với mã này.', en: 'No commune has this code.' },
  nameTaken: {
    vi: 'Xã này đã có làng nghề cùng tên.',
    en: 'This commune already has a craft village of this name.',
  },
  yearRange: {
    vi: 'Năm công nhận phải từ 1950 đến năm nay.',
    en: 'The recognition year must be between 1950 and this year.',
  },
  archived: {
    vi: 'Làng nghề đã lưu trữ; hãy khôi phục trước khi sửa.',
    en: 'The craft village is archived; restore it before changing it.',
  },
  alreadyArchived: { vi: 'Làng nghề đã được lưu trữ.', en: 'The craft village is already archived.' },
  notArchived: { vi: 'Làng nghề chưa bị lưu trữ.', en: 'The craft village is not archived.' },
} satisfies Record<string, Message>;

const villageNotFound = () => notFound({ vi: 'Không tìm thấy làng nghề.', en: 'Craft village not found.' });

type VillageRow = {
  id: string;
  name: string;
  commune_code: string;
  commune_name: string;
  province_code: string;
  province_name: string;
  recognition_year: number | null;
  traditional: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  archived_at: Date | string | null;
};

const COLUMNS = sql`v.id, v.name, v.commune_code, c.name AS commune_name, c.province_code,
  pr.name AS province_name, v.recognition_year, v.traditional, v.version, v.created_at, v.updated_at, v.archived_at`;
const FROM = sql`FROM craft_villages v
  JOIN communes c ON c.code = v.commune_code
  JOIN provinces pr ON pr.code = c.province_code`;

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function toView(row: VillageRow): CraftVillageView {
  return {
    id: row.id,
    name: row.name,
    commune: { code: row.commune_code, name: row.commune_name },
    province: { code: row.province_code, name: row.province_name },
    recognitionYear: row.recognition_year === null ? null : Number(row.recognition_year),
    traditional: row.traditional,
    version: Number(row.version),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
    archivedAt: row.archived_at === null ? null : asDate(row.archived_at),
  };
}

async function villageView(db: DbOrTx, id: string): Promise<CraftVillageView> {
  const [row] = await queryRows<VillageRow>(db, sql`SELECT ${COLUMNS} ${FROM} WHERE v.id = ${id}`);
  if (!row) throw villageNotFound();
  return toView(row);
}

export async function listCraftVillages({ ctx, input }: Ctx & { input: ListCraftVillagesQuery }) {
  if (!canReadCraftVillages(ctx.actor!)) throw new AppError('FORBIDDEN');
  const { db } = ctx.database;
  const conditions: SQL[] = [sql`true`];
  const q = input.q ? foldAccents(input.q) : '';
  if (q) {
    conditions.push(sql`ocop_fold(v.name) LIKE '%' || ocop_fold(${likeEscape(q)}) || '%'`);
  }
  if (input.communeCode) conditions.push(sql`v.commune_code = ${input.communeCode}`);
  if (input.provinceCode) conditions.push(sql`c.province_code = ${input.provinceCode}`);
  if (input.traditional) conditions.push(sql`v.traditional = ${input.traditional === 'true'}`);
  if (input.archived === 'exclude') conditions.push(sql`v.archived_at IS NULL`);
  if (input.archived === 'only') conditions.push(sql`v.archived_at IS NOT NULL`);
  const where = sql.join(conditions, sql` AND `);
  const [count] = await queryRows<{ n: string | number }>(
    db,
    sql`SELECT count(*) AS n ${FROM} WHERE ${where}`,
  );
  const rows = await queryRows<VillageRow>(
    db,
    sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY v.name_sort_key COLLATE "C", v.id
        LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`,
  );
  return {
    items: rows.map(toView),
    total: Number(count?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

export async function getCraftVillage({ ctx, input }: Ctx & { input: { id: string } }) {
  if (!canReadCraftVillages(ctx.actor!)) throw new AppError('FORBIDDEN');
  return villageView(ctx.database.db, input.id);
}

/** The commune a village is (to be) in, after checking it exists and the actor keeps that area's registry. */
async function writableCommune(ctx: RequestContext, db: DbOrTx, communeCode: string) {
  const commune = await getCommune(db, communeCode);
  if (!commune) throw fieldError('communeCode', messages.communeUnknown);
  if (!canWriteCraftVillage(ctx.actor!, { communeCode: commune.code, provinceCode: commune.provinceCode })) {
    throw new AppError('FORBIDDEN');
  }
  return commune;
}

function checkYear(ctx: RequestContext, year: number | null | undefined) {
  if (year != null && recognitionYearProblem(year, localDate(new Date(), ctx.config.timeZone))) {
    throw fieldError('recognitionYear', messages.yearRange);
  }
}

async function checkNameFree(tx: DbOrTx, communeCode: string, name: string, exceptId: string | null) {
  const [taken] = await tx
    .select({ id: craftVillages.id })
    .from(craftVillages)
    .where(
      and(
        eq(craftVillages.communeCode, communeCode),
        isNull(craftVillages.archivedAt),
        sql`ocop_fold(${craftVillages.name}) = ocop_fold(${name})`,
        exceptId ? ne(craftVillages.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken) throw fieldError('name', messages.nameTaken, 'CONFLICT');
}

function rethrowConflict(error: unknown): never {
  const constraint = uniqueViolation(error);
  if (constraint === 'craft_villages_commune_name_key')
    throw fieldError('name', messages.nameTaken, 'CONFLICT');
  if (constraint !== null) throw new AppError('CONFLICT');
  throw error;
}

export async function createCraftVillage({ ctx, input }: Ctx & { input: CreateCraftVillageInput }) {
  const { db } = ctx.database;
  await writableCommune(ctx, db, input.communeCode);
  checkYear(ctx, input.recognitionYear);
  const id = await db
    .transaction(async (tx) => {
      await checkNameFree(tx, input.communeCode, input.name, null);
      const [row] = await tx
        .insert(craftVillages)
        .values({
          name: input.name,
          communeCode: input.communeCode,
          recognitionYear: input.recognitionYear ?? null,
          traditional: input.traditional,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'craft_village.created',
        entityType: 'craft_village',
        entityId: row!.id,
        after: row,
      });
      return row!.id;
    })
    .catch(rethrowConflict);
  return villageView(db, id);
}

async function lockVillage(tx: DbOrTx, id: string, version: number | undefined) {
  const [row] = await tx.select().from(craftVillages).where(eq(craftVillages.id, id)).limit(1).for('update');
  if (!row) throw villageNotFound();
  if (version !== undefined && row.version !== version) throw new AppError('STALE');
  return row;
}

export async function updateCraftVillage({
  ctx,
  input,
}: Ctx & { input: UpdateCraftVillageInput & { id: string } }): Promise<CraftVillageView> {
  const { db } = ctx.database;
  const current = await villageView(db, input.id);
  await writableCommune(ctx, db, current.commune.code);
  if (current.archivedAt) throw new AppError('CONFLICT', messages.archived);
  if (input.communeCode !== undefined && input.communeCode !== current.commune.code) {
    await writableCommune(ctx, db, input.communeCode);
  }
  checkYear(ctx, input.recognitionYear);
  await db
    .transaction(async (tx) => {
      const before = await lockVillage(tx, input.id, input.version);
      const next = {
        name: input.name ?? before.name,
        communeCode: input.communeCode ?? before.communeCode,
        recognitionYear: input.recognitionYear !== undefined ? input.recognitionYear : before.recognitionYear,
        traditional: input.traditional ?? before.traditional,
      };
      await checkNameFree(tx, next.communeCode, next.name, before.id);
      const [after] = await tx
        .update(craftVillages)
        .set({ ...next, version: before.version + 1, updatedAt: new Date() })
        .where(eq(craftVillages.id, before.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'craft_village.updated',
        entityType: 'craft_village',
        entityId: before.id,
        before,
        after,
      });
    })
    .catch(rethrowConflict);
  return villageView(db, input.id);
}

async function setArchived(
  ctx: RequestContext,
  input: { id: string; version?: number | undefined },
  archive: boolean,
): Promise<CraftVillageView> {
  const { db } = ctx.database;
  const current = await villageView(db, input.id);
  await writableCommune(ctx, db, current.commune.code);
  await db
    .transaction(async (tx) => {
      const before = await lockVillage(tx, input.id, input.version);
      if (archive && before.archivedAt) throw new AppError('CONFLICT', messages.alreadyArchived);
      if (!archive && !before.archivedAt) throw new AppError('CONFLICT', messages.notArchived);
      if (!archive) await checkNameFree(tx, before.communeCode, before.name, before.id);
      const now = new Date();
      const [after] = await tx
        .update(craftVillages)
        .set({ archivedAt: archive ? now : null, version: before.version + 1, updatedAt: now })
        .where(eq(craftVillages.id, before.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: archive ? 'craft_village.archived' : 'craft_village.restored',
        entityType: 'craft_village',
        entityId: before.id,
        before,
        after,
      });
    })
    .catch(rethrowConflict);
  return villageView(db, input.id);
}

/** Archiving keeps the links of existing products; archived villages only stop being offered for new links. */
export const archiveCraftVillage = ({
  ctx,
  input,
}: Ctx & { input: { id: string; version?: number | undefined } }) => setArchived(ctx, input, true);

export const restoreCraftVillage = ({
  ctx,
  input,
}: Ctx & { input: { id: string; version?: number | undefined } }) => setArchived(ctx, input, false);
