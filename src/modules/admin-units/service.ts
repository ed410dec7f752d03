import { and, asc, count, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx } from '../../db/client';
import { likeContains } from '../../db/sql';
import type { RequestContext } from '../../server/context';
import { notFound } from '../../server/errors';
import { compareVietnamese, foldAccents } from '../../shared/text';
import type {
  CommuneDetail,
  CommuneView,
  ListCommunesQuery,
  ListOldCommunesQuery,
  OldCommuneView,
  ProvinceView,
  ResolveAddressBody,
  ResolveResultView,
} from './contract';
import type { AdminUnitData } from './data';
import { adminUnitsGeneration } from './load';
import { nameWithoutType } from './names';
import { type AdminUnitIndex, buildIndex, resolveAddress as resolveWithIndex } from './rules';
import {
  communeConversions,
  communes,
  oldCommunes,
  oldDistrictConversions,
  oldDistricts,
  oldProvinces,
  provinces,
} from './schema';

type Ctx = { ctx: RequestContext };

// ---------- used by other modules ----------

export async function getProvince(db: DbOrTx, code: string) {
  const [row] = await db.select().from(provinces).where(eq(provinces.code, code)).limit(1);
  return row ?? null;
}

export async function getCommune(db: DbOrTx, code: string) {
  const [row] = await db.select().from(communes).where(eq(communes.code, code)).limit(1);
  return row ?? null;
}

// ---------- helpers ----------

/** Vietnamese order of unit names, ignoring the type word ("Xã An Bình" before "Phường Bến Nghé"). */
function byVietnameseName<T extends { name: string; code: string }>(a: T, b: T): number {
  return (
    compareVietnamese(nameWithoutType(a.name), nameWithoutType(b.name)) ||
    compareVietnamese(a.name, b.name) ||
    a.code.localeCompare(b.code)
  );
}

/** An accent-insensitive "contains" on the trigram-indexed ocop_fold(name), or a code prefix when q is digits. */
function nameOrCodeMatches(name: AnyPgColumn, code: AnyPgColumn, q: string): SQL {
  if (/^\d+$/.test(q)) return like(code, `${q}%`);
  return sql`ocop_fold(${name}) like ${likeContains(foldAccents(q))}`;
}

function page<T>(rows: T[], pageNumber: number, pageSize: number) {
  return {
    items: rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    total: rows.length,
    page: pageNumber,
    pageSize,
  };
}

const unitNotFound = (what: { vi: string; en: string }) => notFound(what);

// ---------- current units ----------

export async function listProvinces({ ctx }: Ctx): Promise<{ items: ProvinceView[] }> {
  const rows = await ctx.database.db
    .select({
      code: provinces.code,
      name: provinces.name,
      divisionType: provinces.divisionType,
      communeCount: count(communes.code),
    })
    .from(provinces)
    .leftJoin(communes, eq(communes.provinceCode, provinces.code))
    .groupBy(provinces.code);
  return { items: rows.sort(byVietnameseName) };
}

export async function getProvinceView({
  ctx,
  input,
}: Ctx & { input: { code: string } }): Promise<ProvinceView> {
  const { items } = await listProvinces({ ctx });
  const province = items.find((p) => p.code === input.code);
  if (!province) throw unitNotFound({ vi: 'Không tìm thấy tỉnh/thành phố.', en: 'Province not found.' });
  return province;
}

export async function listCommunes({ ctx, input }: Ctx & { input: ListCommunesQuery }) {
  const conditions: SQL[] = [];
  if (input.provinceCode) conditions.push(eq(communes.provinceCode, input.provinceCode));
  if (input.q) conditions.push(nameOrCodeMatches(communes.name, communes.code, input.q));
  const rows: CommuneView[] = await ctx.database.db
    .select({
      code: communes.code,
      name: communes.name,
      divisionType: communes.divisionType,
      provinceCode: communes.provinceCode,
      provinceName: provinces.name,
    })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(and(...conditions))
    .orderBy(asc(communes.code));
  // At most 3,321 short rows: Vietnamese order is applied in JS (the database collation sorts Đ wrongly).
  if (input.sort === 'name') rows.sort(byVietnameseName);
  return page(rows, input.page, input.pageSize);
}

export async function getCommuneDetail({
  ctx,
  input,
}: Ctx & { input: { code: string } }): Promise<CommuneDetail> {
  const db = ctx.database.db;
  const [commune] = await db
    .select({
      code: communes.code,
      name: communes.name,
      divisionType: communes.divisionType,
      provinceCode: communes.provinceCode,
      provinceName: provinces.name,
    })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(eq(communes.code, input.code))
    .limit(1);
  if (!commune) throw unitNotFound({ vi: 'Không tìm thấy xã/phường.', en: 'Commune not found.' });
  const fromCommunes = await db
    .select({
      code: oldCommunes.code,
      name: oldCommunes.name,
      districtCode: oldDistricts.code,
      districtName: oldDistricts.name,
      provinceCode: oldProvinces.code,
      provinceName: oldProvinces.name,
      kind: communeConversions.kind,
      note: communeConversions.note,
    })
    .from(communeConversions)
    .innerJoin(oldCommunes, eq(oldCommunes.code, communeConversions.oldCommuneCode))
    .innerJoin(oldDistricts, eq(oldDistricts.code, oldCommunes.districtCode))
    .innerJoin(oldProvinces, eq(oldProvinces.code, oldDistricts.provinceCode))
    .where(eq(communeConversions.newCommuneCode, input.code))
    .orderBy(asc(oldCommunes.code));
  // An island district had no communes: it appears as itself.
  const fromDistricts = await db
    .select({
      code: oldDistricts.code,
      name: oldDistricts.name,
      districtCode: oldDistricts.code,
      districtName: oldDistricts.name,
      provinceCode: oldProvinces.code,
      provinceName: oldProvinces.name,
      kind: oldDistrictConversions.kind,
      note: oldDistrictConversions.note,
    })
    .from(oldDistrictConversions)
    .innerJoin(oldDistricts, eq(oldDistricts.code, oldDistrictConversions.oldDistrictCode))
    .innerJoin(oldProvinces, eq(oldProvinces.code, oldDistricts.provinceCode))
    .where(eq(oldDistrictConversions.newCommuneCode, input.code));
  return { ...commune, formedFrom: [...fromCommunes, ...fromDistricts] };
}

// ---------- units before the reform ----------

export async function listOldProvinces({ ctx }: Ctx) {
  const rows = await ctx.database.db.select().from(oldProvinces);
  return { items: rows.sort(byVietnameseName) };
}

export async function listOldDistricts({
  ctx,
  input,
}: Ctx & { input: { provinceCode?: string | undefined } }) {
  const rows = await ctx.database.db
    .select({
      code: oldDistricts.code,
      name: oldDistricts.name,
      provinceCode: oldDistricts.provinceCode,
      provinceName: oldProvinces.name,
    })
    .from(oldDistricts)
    .innerJoin(oldProvinces, eq(oldProvinces.code, oldDistricts.provinceCode))
    .where(input.provinceCode ? eq(oldDistricts.provinceCode, input.provinceCode) : undefined);
  return { items: rows.sort(byVietnameseName) };
}

async function withConversions(
  db: Db,
  rows: Omit<OldCommuneView, 'becameCommunes'>[],
): Promise<OldCommuneView[]> {
  if (!rows.length) return [];
  const targets = await db
    .select({
      oldCode: communeConversions.oldCommuneCode,
      communeCode: communes.code,
      communeName: communes.name,
      provinceCode: provinces.code,
      provinceName: provinces.name,
      kind: communeConversions.kind,
      note: communeConversions.note,
    })
    .from(communeConversions)
    .innerJoin(communes, eq(communes.code, communeConversions.newCommuneCode))
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(
      inArray(
        communeConversions.oldCommuneCode,
        rows.map((r) => r.code),
      ),
    )
    .orderBy(asc(communes.code));
  return rows.map((row) => ({
    ...row,
    becameCommunes: targets.filter((t) => t.oldCode === row.code).map(({ oldCode: _, ...t }) => t),
  }));
}

const oldCommuneColumns = {
  code: oldCommunes.code,
  name: oldCommunes.name,
  divisionType: oldCommunes.divisionType,
  districtCode: oldDistricts.code,
  districtName: oldDistricts.name,
  provinceCode: oldProvinces.code,
  provinceName: oldProvinces.name,
};

export async function listOldCommunes({ ctx, input }: Ctx & { input: ListOldCommunesQuery }) {
  const db = ctx.database.db;
  const conditions: SQL[] = [];
  if (input.provinceCode) conditions.push(eq(oldDistricts.provinceCode, input.provinceCode));
  if (input.districtCode) conditions.push(eq(oldCommunes.districtCode, input.districtCode));
  if (input.q) conditions.push(nameOrCodeMatches(oldCommunes.name, oldCommunes.code, input.q));
  const rows = await db
    .select(oldCommuneColumns)
    .from(oldCommunes)
    .innerJoin(oldDistricts, eq(oldDistricts.code, oldCommunes.districtCode))
    .innerJoin(oldProvinces, eq(oldProvinces.code, oldDistricts.provinceCode))
    .where(and(...conditions))
    .orderBy(asc(oldCommunes.code));
  if (input.sort === 'name') rows.sort(byVietnameseName);
  const result = page(rows, input.page, input.pageSize);
  return { ...result, items: await withConversions(db, result.items) };
}

export async function getOldCommune({
  ctx,
  input,
}: Ctx & { input: { code: string } }): Promise<OldCommuneView> {
  const db = ctx.database.db;
  const rows = await db
    .select(oldCommuneColumns)
    .from(oldCommunes)
    .innerJoin(oldDistricts, eq(oldDistricts.code, oldCommunes.districtCode))
    .innerJoin(oldProvinces, eq(oldProvinces.code, oldDistricts.provinceCode))
    .where(eq(oldCommunes.code, input.code))
    .limit(1);
  const [commune] = await withConversions(db, rows);
  if (!commune) {
    throw unitNotFound({
      vi: 'Không tìm thấy xã cũ (trước 01/7/2025).',
      en: 'Old commune (before 2025-07-01) not found.',
    });
  }
  return commune;
}

// ---------- resolving addresses ----------

/**
 * The resolution index, built once per process and database from the unit tables (~25k rows,
 * a few MB) and rebuilt when loadAdminUnits loads another version here. Units are reference data
 * that change only at deployment, when every instance restarts and reloads.
 */
const indexes = new WeakMap<Db, { generation: number; index: Promise<AdminUnitIndex> }>();

async function readIndexData(db: Db): Promise<AdminUnitData> {
  const [p, c, op, od, oc, cc, dc] = await Promise.all([
    db.select().from(provinces),
    db.select().from(communes),
    db.select().from(oldProvinces),
    db.select().from(oldDistricts),
    db.select().from(oldCommunes),
    db.select().from(communeConversions),
    db.select().from(oldDistrictConversions),
  ]);
  return {
    provinces: p,
    communes: c,
    oldProvinces: op,
    oldDistricts: od,
    oldCommunes: oc,
    conversions: cc.map((r) => ({ ...r })),
    districtConversions: dc.map((r) => ({ ...r })),
  };
}

export function adminUnitIndex(db: Db): Promise<AdminUnitIndex> {
  const cached = indexes.get(db);
  const generation = adminUnitsGeneration();
  if (cached && cached.generation === generation) return cached.index;
  const index = readIndexData(db).then(buildIndex);
  // A failed build must not stick: the next call tries again.
  index.catch(() => indexes.delete(db));
  indexes.set(db, { generation, index });
  return index;
}

export async function resolveAddress({
  ctx,
  input,
}: Ctx & { input: ResolveAddressBody }): Promise<ResolveResultView> {
  return resolveWithIndex(await adminUnitIndex(ctx.database.db), input);
}

export async function resolveAddresses({ ctx, input }: Ctx & { input: { addresses: ResolveAddressBody[] } }) {
  const index = await adminUnitIndex(ctx.database.db);
  const results = input.addresses.map((address) => resolveWithIndex(index, address));
  const summary = { resolved: 0, needsDecision: 0, notFound: 0 };
  for (const r of results) {
    if (r.status === 'resolved') summary.resolved++;
    else if (r.status === 'needs_decision') summary.needsDecision++;
    else summary.notFound++;
  }
  return { results, summary };
}
