import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { verifyAuditChain } from '../modules/audit';
import type { Database, Db } from './client';
import { EmbeddedServerError } from './embedded-server';
import { migrationsFolder } from './migrate';
import * as schema from './schema';
import {
  applySameOutput,
  compareSchemas,
  describeTables,
  fingerprint,
  firstTableWithRows,
  insertRows,
  moveSequences,
  type Queryable,
  qualified,
  readSequences,
  readTable,
} from './table-copy';

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

const MARKER_TABLE = 'ocop_upgrade.pglite_import';

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

async function copyAll(args: {
  pglite: PGlite;
  pool: pg.Pool;
  legacyDir: string;
  systemId: string;
}): Promise<{ counts: [string, string][]; auditEntries: number; auditNote: string }> {
  const { pool, legacyDir, systemId } = args;
  const pglite = args.pglite as unknown as Queryable & PGlite;
  await applySameOutput(pglite, false);
  // One snapshot of the old database for the whole copy.
  await pglite.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const client = await pool.connect();
  let open = false;
  try {
    const sourceTables = await describeTables(pglite);
    const targetTables = await describeTables(client);
    const mismatch = compareSchemas(sourceTables, targetTables);
    if (mismatch)
      throw new Error(`the two databases do not have the same schema after migrating: ${mismatch}`);
    const tables = [...targetTables.values()].sort((a, b) => a.name.localeCompare(b.name));

    await client.query('BEGIN');
    open = true;
    await applySameOutput(client, true);
    // Superuser only (the embedded server's user is one): no FK or trigger checks while tables fill in any order.
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`TRUNCATE ${tables.map((t) => qualified(t.name)).join(', ')}`);

    const counts: [string, string][] = [];
    for (const table of tables) {
      const source = await fingerprint(pglite, table);
      for await (const rows of readTable(pglite, table)) await insertRows(client, table, rows);
      const target = await fingerprint(client, table);
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

    await moveSequences(client, await readSequences(pglite));

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
