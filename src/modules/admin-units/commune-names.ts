import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { adminUnitsGeneration } from './load';
import { communes, provinces } from './schema';

/**
 * Names of each commune and its province, kept in memory per database (the product list shows them).
 * Joining the two unit tables into the search statement cost ~0.4 ms a search on the embedded
 * database (planning and executing two more joins, of a ~2 ms statement that runs alone);
 * the units are reference data (~3,300 communes) that only loadAdminUnits changes, and it bumps
 * `adminUnitsGeneration`. A commune inserted some other way is picked up by reloading on a miss.
 */
export type CommuneNames = { communeName: string; provinceCode: string; provinceName: string };

type Entry = { generation: number; names: Promise<Map<string, CommuneNames>> };
const caches = new WeakMap<Db, Entry>();

async function readNames(db: Db): Promise<Map<string, CommuneNames>> {
  const rows = await db
    .select({
      code: communes.code,
      communeName: communes.name,
      provinceCode: communes.provinceCode,
      provinceName: provinces.name,
    })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode));
  return new Map(rows.map(({ code, ...names }) => [code, names]));
}

function load(db: Db): Entry {
  const entry: Entry = { generation: adminUnitsGeneration(), names: readNames(db) };
  // A failed read must not stick: the next call reads again.
  entry.names.catch(() => {
    if (caches.get(db) === entry) caches.delete(db);
  });
  caches.set(db, entry);
  return entry;
}

/** The names of these communes; every code must exist (products reference communes). */
export async function communeNames(db: Db, codes: Iterable<string>): Promise<Map<string, CommuneNames>> {
  let entry = caches.get(db);
  if (!entry || entry.generation !== adminUnitsGeneration()) entry = load(db);
  const names = await entry.names;
  const wanted = [...codes];
  if (wanted.every((code) => names.has(code))) return names;
  // A commune added since the read: read once more (requests missing at the same time share it).
  const current = caches.get(db);
  const fresh = current && current !== entry ? await current.names : await load(db).names;
  const missing = wanted.find((code) => !fresh.has(code));
  if (missing !== undefined) throw new Error(`commune ${missing} is not in the communes table`);
  return fresh;
}
