import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { recordAudit } from '../audit';
import {
  type AdminUnitData,
  decodeTable,
  MANIFEST_FILE,
  type Manifest,
  TABLE_FILES,
  TABLE_NAMES,
  type TableName,
} from './data';
import { referenceData } from './schema';

/** The shipped files, found from this module so the working directory does not matter. */
export const DEFAULT_DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'admin-units',
);

export const REFERENCE_NAME = 'admin-units';
/** Any constant: instances starting together load one at a time. */
const LOAD_LOCK = 7_236_101;
/** Rows per statement: bounded memory and statement size, few round trips. */
const CHUNK = 4000;

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

/** The data version: a hash over the table files' hashes in load order. */
export function manifestChecksum(files: Manifest['files']): string {
  return sha256(
    TABLE_NAMES.map((t) => `${TABLE_FILES[t].file}:${files[TABLE_FILES[t].file]?.sha256}`).join('\n'),
  );
}

export function readManifest(dir = DEFAULT_DATA_DIR): Manifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  if (manifest.format !== 1 || manifest.dataset !== 'admin-units') {
    throw new Error(`${dir}/${MANIFEST_FILE}: not an admin-units manifest of format 1`);
  }
  return manifest;
}

/** Reads and checks every table file against the manifest: a damaged or hand-edited file is refused. */
export function readAdminUnitFiles(dir = DEFAULT_DATA_DIR): { manifest: Manifest; data: AdminUnitData } {
  const manifest = readManifest(dir);
  if (manifestChecksum(manifest.files) !== manifest.checksum) {
    throw new Error(`${dir}/${MANIFEST_FILE}: checksum does not match its file list`);
  }
  const data = {} as Record<TableName, unknown>;
  for (const table of TABLE_NAMES) {
    const file = TABLE_FILES[table].file;
    const content = fs.readFileSync(path.join(dir, file), 'utf8');
    const expected = manifest.files[file];
    if (!expected || sha256(content) !== expected.sha256) {
      throw new Error(
        `${dir}/${file} does not match ${MANIFEST_FILE}; regenerate with npm run data:admin-units`,
      );
    }
    const rows = decodeTable(table, content);
    if (rows.length !== expected.rows) throw new Error(`${dir}/${file}: row count differs from the manifest`);
    data[table] = rows;
  }
  return { manifest, data: data as AdminUnitData };
}

/**
 * Bumped whenever a new version is loaded in this process, so cached indexes (service.ts) rebuild.
 * Other instances pick a new version up at their own start, which is when versions change.
 */
let generation = 0;
export const adminUnitsGeneration = () => generation;

export type LoadResult = { loaded: boolean; checksum: string };

async function loadedChecksum(db: DbOrTx): Promise<string | null> {
  const [row] = await db
    .select({ checksum: referenceData.checksum })
    .from(referenceData)
    .where(eq(referenceData.name, REFERENCE_NAME))
    .limit(1);
  return row?.checksum ?? null;
}

/** Runs `statement(json)` over the rows in chunks; each chunk is one JSON parameter, whatever its row count. */
async function inChunks(db: DbOrTx, rows: unknown[][], statement: (json: string) => SQL): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.execute(statement(JSON.stringify(rows.slice(i, i + CHUNK))));
  }
}

const asArrays = <T extends Record<string, unknown>>(rows: T[], columns: (keyof T)[]) =>
  rows.map((row) => columns.map((c) => row[c]));

/**
 * Loads data/admin-units/ into the unit tables when they are missing or another version.
 * Runs at every start: when the version is loaded it costs one query. A new version is upserted
 * in one transaction (units by code, so rows that subjects or products reference are never
 * deleted); only the conversion tables, which nothing references, are replaced.
 */
export async function loadAdminUnits(db: DbOrTx, options: { dir?: string } = {}): Promise<LoadResult> {
  const dir = options.dir ?? DEFAULT_DATA_DIR;
  const manifest = readManifest(dir);
  if ((await loadedChecksum(db)) === manifest.checksum) return { loaded: false, checksum: manifest.checksum };

  const { data } = readAdminUnitFiles(dir);
  const loaded = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOAD_LOCK})`);
    const before = await loadedChecksum(tx);
    if (before === manifest.checksum) return false;

    await inChunks(
      tx,
      asArrays(data.provinces, ['code', 'name', 'divisionType']),
      (json) => sql`
        insert into provinces (code, name, division_type)
        select x->>0, x->>1, x->>2 from json_array_elements(${json}::json) as x
        on conflict (code) do update set name = excluded.name, division_type = excluded.division_type
        where (provinces.name, provinces.division_type) is distinct from (excluded.name, excluded.division_type)`,
    );
    await inChunks(
      tx,
      asArrays(data.communes, ['code', 'provinceCode', 'name', 'divisionType']),
      (json) => sql`
        insert into communes (code, province_code, name, division_type)
        select x->>0, x->>1, x->>2, x->>3 from json_array_elements(${json}::json) as x
        on conflict (code) do update
          set province_code = excluded.province_code, name = excluded.name, division_type = excluded.division_type
        where (communes.province_code, communes.name, communes.division_type)
          is distinct from (excluded.province_code, excluded.name, excluded.division_type)`,
    );
    await inChunks(
      tx,
      asArrays(data.oldProvinces, ['code', 'name']),
      (json) => sql`
        insert into old_provinces (code, name)
        select x->>0, x->>1 from json_array_elements(${json}::json) as x
        on conflict (code) do update set name = excluded.name
        where old_provinces.name is distinct from excluded.name`,
    );
    await inChunks(
      tx,
      asArrays(data.oldDistricts, ['code', 'provinceCode', 'name']),
      (json) => sql`
        insert into old_districts (code, province_code, name)
        select x->>0, x->>1, x->>2 from json_array_elements(${json}::json) as x
        on conflict (code) do update set province_code = excluded.province_code, name = excluded.name
        where (old_districts.province_code, old_districts.name)
          is distinct from (excluded.province_code, excluded.name)`,
    );
    await inChunks(
      tx,
      asArrays(data.oldCommunes, ['code', 'districtCode', 'name', 'divisionType', 'aliases']),
      (json) => sql`
        insert into old_communes (code, district_code, name, division_type, aliases)
        select x->>0, x->>1, x->>2, x->>3, array(select json_array_elements_text(x->4))
        from json_array_elements(${json}::json) as x
        on conflict (code) do update
          set district_code = excluded.district_code, name = excluded.name,
              division_type = excluded.division_type, aliases = excluded.aliases
        where (old_communes.district_code, old_communes.name, old_communes.division_type, old_communes.aliases)
          is distinct from (excluded.district_code, excluded.name, excluded.division_type, excluded.aliases)`,
    );
    // Nothing references the conversion rows: replacing them drops pairs a new version no longer lists.
    await tx.execute(sql`delete from commune_conversions`);
    await inChunks(
      tx,
      asArrays(data.conversions, ['oldCommuneCode', 'newCommuneCode', 'kind', 'note']),
      (json) => sql`
        insert into commune_conversions (old_commune_code, new_commune_code, kind, note)
        select x->>0, x->>1, x->>2, x->>3 from json_array_elements(${json}::json) as x`,
    );
    await tx.execute(sql`delete from old_district_conversions`);
    await inChunks(
      tx,
      asArrays(data.districtConversions, ['oldDistrictCode', 'newCommuneCode', 'kind', 'note']),
      (json) => sql`
        insert into old_district_conversions (old_district_code, new_commune_code, kind, note)
        select x->>0, x->>1, x->>2, x->>3 from json_array_elements(${json}::json) as x`,
    );

    await tx
      .insert(referenceData)
      .values({ name: REFERENCE_NAME, checksum: manifest.checksum })
      .onConflictDoUpdate({
        target: referenceData.name,
        set: { checksum: manifest.checksum, loadedAt: sql`now()` },
      });
    await recordAudit(
      tx,
      { actor: null },
      {
        action: 'reference_data.load',
        entityType: 'reference_data',
        entityId: REFERENCE_NAME,
        before: before ? { checksum: before } : null,
        after: {
          checksum: manifest.checksum,
          validFrom: manifest.validFrom,
          rows: Object.fromEntries(Object.entries(manifest.files).map(([f, v]) => [f, v.rows])),
        },
      },
    );
    return true;
  });
  if (loaded) generation++;
  return { loaded, checksum: manifest.checksum };
}
