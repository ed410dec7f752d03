import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { verifyAuditChain } from '../modules/audit/service';
import type { Database, Db } from './client';
import { EmbeddedServerError } from './embedded-server';
import { migrationsFolder } from './migrate';
import * as schema from './schema';

/**
 * The previous release kept its embedded database in DATA_DIR/db with PGlite. On the first start of
 * this release, its records move into the embedded PostgreSQL server once:
 *
 * 1. the PGlite directory is opened (with the pg_trgm and unaccent extensions it was made with) and
 *    brought to the current schema by the PGlite migrator, so both sides have the same tables;
 * 2. in one transaction on the new server (already migrated, reference data not yet loaded), every
 *    table of the `public` schema is emptied and filled from PGlite in chunks read through a cursor,
 *    each value carried as its PostgreSQL text form (what COPY and pg_dump use), so bytea, jsonb,
 *    arrays, numerics and timestamps arrive exactly; generated columns are recomputed by the server;
 * 3. before committing: the same rows in every table (count and a hash of every row), sequences
 *    moved past what they had handed out, and the audit hash chain verified as the app verifies it;
 * 4. after the commit the old directory is renamed `db.pglite-migrated-<date>-<time>` beside it,
 *    kept and never deleted.
 *
 * A failure rolls the transaction back: the new database stays empty, the old directory keeps its
 * name and start-up stops with the reason. The transaction also records which PGlite cluster it
 * copied (ocop_upgrade.pglite_import), so a start that stopped between the commit and the rename only
 * finishes the rename, and a new database that already holds other records is never overwritten.
 */

export class PgliteUpgradeError extends EmbeddedServerError {}

type Log = (message: string) => void;

type Column = { name: string; type: string; generated: boolean; identityAlways: boolean };
type Table = { name: string; columns: Column[]; primaryKey: string[] };
type Fingerprint = { rows: string; hash: string };

/** Session settings under which both sides print values the same way. */
const SESSION_SETTINGS = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, MDY'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
] as const;

/** A chunk read from PGlite and sent in one INSERT stays around this size. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const FIRST_CHUNK_ROWS = 50;
const MAX_CHUNK_ROWS = 5000;

const MARKER_TABLE = 'ocop_upgrade.pglite_import';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => `"public".${ident(table)}`;

export async function upgradeFromPglite(args: {
  legacyDir: string;
  database: Database;
  log: Log;
}): Promise<void> {
  const legacyDir = path.resolve(args.legacyDir);
  const { database, log } = args;
  if (!fs.existsSync(path.join(legacyDir, 'PG_VERSION'))) return;

  const systemId = readSystemIdentifier(legacyDir);
  const done = await readMarker(database.pool);
  if (done && done.systemIdentifier === systemId) {
    // The copy committed on an earlier start that stopped before renaming the directory.
    log(`The previous release's database in ${legacyDir} was copied on ${done.importedAt}; renaming it now.`);
    renameLegacy(legacyDir, log);
    return;
  }
  const holding = await firstTableWithRows(database.pool);
  if (holding) {
    throw new PgliteUpgradeError(
      `${legacyDir} holds the database of the previous release (PGlite), but the embedded PostgreSQL database beside it already holds records (table ${holding}), so they were not copied: copying would replace them. Nothing was changed. To upgrade the old database, move the new one (${path.join(path.dirname(legacyDir), 'pg')}) away and start again; to keep the new one, move ${legacyDir} out of DATA_DIR.`,
    );
  }

  const started = Date.now();
  log(
    `Upgrading from the previous release: copying its embedded database (${legacyDir}, PGlite) into the embedded PostgreSQL server…`,
  );
  let pglite: PGlite | undefined;
  let copied: { counts: [string, string][]; auditEntries: number; auditNote: string };
  try {
    pglite = await openPglite(legacyDir);
    copied = await copyAll({ pglite, pool: database.pool, legacyDir, systemId });
  } catch (error) {
    throw new PgliteUpgradeError(
      `The upgrade of the previous release's database (${legacyDir}) failed, so the app did not start. Nothing was written to the new database and the old directory keeps its name. Reason: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    await pglite?.close().catch(() => {});
  }

  const width = Math.max(...copied.counts.map(([table]) => table.length));
  log('Rows copied per table:');
  for (const [table, rows] of copied.counts) log(`  ${table.padEnd(width)}  ${rows.padStart(9)}`);
  const total = copied.counts.reduce((sum, [, rows]) => sum + BigInt(rows), 0n);
  log(
    `Copied ${total} rows in ${copied.counts.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; every table holds the same rows as the old database; ${copied.auditNote}.`,
  );
  renameLegacy(legacyDir, log);
}

/** The cluster's system identifier, the first 8 bytes of global/pg_control: tells one PGlite directory from another without opening it. */
function readSystemIdentifier(legacyDir: string): string {
  const fd = fs.openSync(path.join(legacyDir, 'global', 'pg_control'), 'r');
  try {
    const bytes = Buffer.alloc(8);
    fs.readSync(fd, bytes, 0, 8, 0);
    return bytes.readBigUInt64LE(0).toString();
  } finally {
    fs.closeSync(fd);
  }
}

async function readMarker(pool: pg.Pool): Promise<{ systemIdentifier: string; importedAt: string } | null> {
  const exists = await pool.query<{ found: string | null }>(
    `SELECT to_regclass('${MARKER_TABLE}')::text AS found`,
  );
  if (!exists.rows[0]?.found) return null;
  const result = await pool.query<{ system_identifier: string; imported_at: Date }>(
    `SELECT system_identifier, imported_at FROM ${MARKER_TABLE} ORDER BY imported_at DESC LIMIT 1`,
  );
  const row = result.rows[0];
  return row ? { systemIdentifier: row.system_identifier, importedAt: row.imported_at.toISOString() } : null;
}

async function firstTableWithRows(pool: pg.Pool): Promise<string | null> {
  const tables = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
  );
  for (const { name } of tables.rows) {
    const found = await pool.query(`SELECT 1 FROM ${qualified(name)} LIMIT 1`);
    if (found.rowCount) return name;
  }
  return null;
}

async function openPglite(legacyDir: string): Promise<PGlite> {
  // Loaded only here: the running app never needs PGlite otherwise.
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = await PGlite.create(legacyDir, { extensions: { pg_trgm, unaccent } });
  try {
    // A directory of an older release may lack the newest migrations: both sides must have the same tables.
    await migrate(drizzlePglite({ client }), { migrationsFolder });
    return client;
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

type Queryable = {
  query: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
};

async function describeTables(db: Queryable): Promise<Map<string, Table>> {
  const columns = await db.query(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated::text AS generated, a.attidentity::text AS identity
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  );
  const keys = await db.query(
    `SELECT c.relname AS table_name, a.attname AS column_name
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND i.indisprimary
     ORDER BY c.relname, k.ord`,
  );
  const tables = new Map<string, Table>();
  for (const row of columns.rows) {
    const name = String(row.table_name);
    let table = tables.get(name);
    if (!table) {
      table = { name, columns: [], primaryKey: [] };
      tables.set(name, table);
    }
    table.columns.push({
      name: String(row.column_name),
      type: String(row.type),
      generated: String(row.generated ?? '') !== '',
      identityAlways: String(row.identity ?? '') === 'a',
    });
  }
  for (const row of keys.rows) tables.get(String(row.table_name))?.primaryKey.push(String(row.column_name));
  return tables;
}

/** The same tables with the same columns on both sides, or the reason why not. */
function compareSchemas(source: Map<string, Table>, target: Map<string, Table>): string | null {
  const describe = (table: Table) =>
    table.columns
      .map(
        (c) => `${c.name} ${c.type}${c.generated ? ' generated' : ''}${c.identityAlways ? ' identity' : ''}`,
      )
      .sort()
      .join(', ');
  const missing = [...source.keys()].filter((name) => !target.has(name));
  const extra = [...target.keys()].filter((name) => !source.has(name));
  if (missing.length) return `tables of the old database missing from the new one: ${missing.join(', ')}`;
  if (extra.length) return `tables of the new database missing from the old one: ${extra.join(', ')}`;
  for (const [name, table] of source) {
    if (describe(table) !== describe(target.get(name)!)) {
      return `table ${name} has different columns: old (${describe(table)}), new (${describe(target.get(name)!)})`;
    }
  }
  return null;
}

const storedColumns = (table: Table) => table.columns.filter((c) => !c.generated);

/** Row count and an order-independent sum of every row's md5 over its stored columns' text. */
function fingerprintQuery(table: Table): string {
  const row = `ROW(${storedColumns(table)
    .map((c) => ident(c.name))
    .join(', ')})::text`;
  return `SELECT count(*)::text AS rows,
            coalesce(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint::numeric), 0)::text AS hash
          FROM ${qualified(table.name)}`;
}

async function copyAll(args: {
  pglite: PGlite;
  pool: pg.Pool;
  legacyDir: string;
  systemId: string;
}): Promise<{ counts: [string, string][]; auditEntries: number; auditNote: string }> {
  const { pglite, pool, legacyDir, systemId } = args;
  for (const [name, value] of SESSION_SETTINGS)
    await pglite.query(`SELECT set_config($1, $2, false)`, [name, value]);
  // One snapshot of the old database for the whole copy.
  await pglite.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const client = await pool.connect();
  let open = false;
  try {
    const sourceTables = await describeTables(pglite as unknown as Queryable);
    const targetTables = await describeTables(client as unknown as Queryable);
    const mismatch = compareSchemas(sourceTables, targetTables);
    if (mismatch)
      throw new Error(`the two databases do not have the same schema after migrating: ${mismatch}`);
    const tables = [...targetTables.values()].sort((a, b) => a.name.localeCompare(b.name));

    await client.query('BEGIN');
    open = true;
    for (const [name, value] of SESSION_SETTINGS)
      await client.query(`SELECT set_config($1, $2, true)`, [name, value]);
    // Superuser only (the embedded server's user is one): no FK or trigger checks while tables fill in any order.
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`TRUNCATE ${tables.map((t) => qualified(t.name)).join(', ')}`);

    const counts: [string, string][] = [];
    for (const table of tables) {
      const source = await fingerprint(pglite, table);
      await copyTable(pglite, client, table);
      const target = await fingerprintOn(client, table);
      if (source.rows !== target.rows) {
        throw new Error(
          `table ${table.name}: ${source.rows} rows in the old database, ${target.rows} copied`,
        );
      }
      if (source.hash !== target.hash) {
        throw new Error(
          `table ${table.name}: the copied rows differ from the old ones (same count, different content)`,
        );
      }
      counts.push([table.name, target.rows]);
    }

    await moveSequences(pglite, client);

    const sourceChain = await verifyAuditChain(await drizzleOnPglite(pglite));
    const targetChain = await verifyAuditChain(drizzle({ client, schema }) as unknown as Db);
    let auditNote: string;
    if (sourceChain.ok) {
      if (!targetChain.ok) {
        throw new Error(
          `the audit chain is intact in the old database but broken in the copy at entry #${targetChain.brokenAtSeq} (${targetChain.reason})`,
        );
      }
      auditNote = `audit chain intact (${targetChain.checked} entries)`;
    } else {
      // Copied faithfully: the break was there before and `npm run audit:verify` will keep reporting it.
      if (targetChain.ok || targetChain.brokenAtSeq !== sourceChain.brokenAtSeq) {
        throw new Error('the audit chain of the copy does not match the old one');
      }
      auditNote = `WARNING: the old database's audit chain was already broken at entry #${sourceChain.brokenAtSeq} (${sourceChain.reason}); copied as it was`;
    }

    await client.query('CREATE SCHEMA IF NOT EXISTS ocop_upgrade');
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (
         system_identifier text NOT NULL,
         legacy_dir text NOT NULL,
         imported_at timestamptz NOT NULL DEFAULT now(),
         row_counts jsonb NOT NULL
       )`,
    );
    await client.query(
      `INSERT INTO ${MARKER_TABLE} (system_identifier, legacy_dir, row_counts) VALUES ($1, $2, $3)`,
      [systemId, legacyDir, JSON.stringify(Object.fromEntries(counts))],
    );
    await client.query('COMMIT');
    open = false;
    return { counts, auditEntries: targetChain.checked, auditNote };
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
    await pglite.exec('ROLLBACK').catch(() => {});
  }
}

async function fingerprint(pglite: PGlite, table: Table): Promise<Fingerprint> {
  const result = await pglite.query<Fingerprint>(fingerprintQuery(table));
  return result.rows[0]!;
}

async function fingerprintOn(client: pg.PoolClient, table: Table): Promise<Fingerprint> {
  const result = await client.query<Fingerprint>(fingerprintQuery(table));
  return result.rows[0]!;
}

/** Reads the table through a cursor in chunks of about CHUNK_BYTES and inserts each chunk in one statement. */
async function copyTable(pglite: PGlite, client: pg.PoolClient, table: Table): Promise<void> {
  const columns = storedColumns(table);
  const projection = columns.map((c) => `${ident(c.name)}::text AS ${ident(c.name)}`).join(', ');
  const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(ident).join(', ')}` : '';
  const cursor = 'ocop_upgrade_cursor';
  await pglite.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
     SELECT row_to_json(x)::text AS r FROM (SELECT ${projection} FROM ${qualified(table.name)}${order}) x`,
  );
  const overriding = table.columns.some((c) => c.identityAlways && !c.generated)
    ? ' OVERRIDING SYSTEM VALUE'
    : '';
  const insert = `INSERT INTO ${qualified(table.name)} (${columns.map((c) => ident(c.name)).join(', ')})${overriding}
    SELECT ${columns.map((c) => `x.${ident(c.name)}::${c.type}`).join(', ')}
    FROM json_to_recordset($1::json) AS x(${columns.map((c) => `${ident(c.name)} text`).join(', ')})`;
  try {
    let chunkRows = FIRST_CHUNK_ROWS;
    for (;;) {
      const chunk = await pglite.query<{ r: string }>(`FETCH ${chunkRows} FROM ${cursor}`);
      if (chunk.rows.length === 0) break;
      let bytes = 2;
      const parts: string[] = [];
      for (const { r } of chunk.rows) {
        parts.push(r);
        bytes += r.length + 1;
      }
      await client.query(insert, [`[${parts.join(',')}]`]);
      if (chunk.rows.length < chunkRows) break;
      const perRow = bytes / chunk.rows.length;
      chunkRows = Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(CHUNK_BYTES / perRow)));
    }
  } finally {
    await pglite.query(`CLOSE ${cursor}`);
  }
}

/**
 * Every sequence of the public schema continues after both what the old one had handed out and the
 * largest value in the column it numbers, so the next row never reuses a number.
 */
async function moveSequences(pglite: PGlite, client: pg.PoolClient): Promise<void> {
  const source = await pglite.query<{ name: string; last_value: string | null }>(
    `SELECT sequencename AS name, last_value::text AS last_value FROM pg_sequences WHERE schemaname = 'public'`,
  );
  const handedOut = new Map(source.rows.map((r) => [r.name, r.last_value]));
  const sequences = await client.query<{
    name: string;
    table_name: string | null;
    column_name: string | null;
  }>(
    `SELECT s.relname AS name, t.relname AS table_name, a.attname AS column_name
     FROM pg_class s
     JOIN pg_namespace n ON n.oid = s.relnamespace
     LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
     LEFT JOIN pg_class t ON t.oid = d.refobjid
     LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE n.nspname = 'public' AND s.relkind = 'S'`,
  );
  for (const sequence of sequences.rows) {
    let value = handedOut.get(sequence.name) ?? null;
    if (sequence.table_name && sequence.column_name) {
      const max = await client.query<{ max: string | null }>(
        `SELECT max(${ident(sequence.column_name)})::text AS max FROM ${qualified(sequence.table_name)}`,
      );
      const columnMax = max.rows[0]?.max ?? null;
      if (columnMax !== null && (value === null || BigInt(columnMax) > BigInt(value))) value = columnMax;
    }
    if (value !== null) {
      await client.query('SELECT setval($1::regclass, $2::bigint, true)', [
        `"public".${ident(sequence.name)}`,
        value,
      ]);
    }
  }
}

/** The app's own chain check reads through drizzle; over PGlite it needs PGlite's driver (loaded only here). */
async function drizzleOnPglite(pglite: PGlite): Promise<Db> {
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  return drizzlePglite({ client: pglite, schema }) as unknown as Db;
}

function renameLegacy(legacyDir: string, log: Log): void {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  const base = path.join(path.dirname(legacyDir), `${path.basename(legacyDir)}.pglite-migrated-${stamp}`);
  let target = base;
  for (let n = 2; fs.existsSync(target); n++) target = `${base}-${n}`;
  try {
    fs.renameSync(legacyDir, target);
    syncDirectory(path.dirname(legacyDir));
    log(`The old database is kept, renamed to ${target}; delete it once you no longer need it.`);
  } catch (error) {
    // The records are safely in the new server; the next start retries the rename.
    log(
      `WARNING: the old database was copied but ${legacyDir} could not be renamed (${(error as Error).message}); the next start tries again.`,
    );
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every file system syncs directories; the rename itself is atomic.
  }
}
