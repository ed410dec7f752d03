import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { verifyAuditChain } from '../modules/audit';
import type { Db } from './client';
import * as schema from './schema';
import {
  applySameOutput,
  CHUNK_BYTES,
  compareSchemas,
  describeTables,
  type Fingerprint,
  fingerprint,
  firstTableWithRows,
  insertRows,
  moveSequences,
  readSequences,
  readTable,
  type Table,
} from './table-copy';

/**
 * A logical backup of the database without pg_dump (the embedded server's npm binaries ship none,
 * and a pg_dump older than the server refuses it): every table of the `public` schema read in one
 * REPEATABLE READ READ ONLY transaction, so the copy is one consistent moment even while the app
 * writes, into a directory:
 *
 *   manifest.json          format, time, server, migrations applied, per table its columns, row count
 *                          and fingerprint, sequences, the audit chain's state
 *   tables/<name>.ndjson.gz  one row per line: JSON of each stored column's PostgreSQL text form
 *
 * The directory is written as `<dir>.partial` and renamed when complete. A restore loads it into an
 * empty migrated database of the same schema in one transaction and checks every table's fingerprint
 * and the audit chain before committing.
 */

export const BACKUP_FORMAT = 'ocop-logical-backup';
const BACKUP_VERSION = 1;

type Log = (message: string) => void;

type AuditState = { ok: true; checked: number } | { ok: false; checked: number; brokenAtSeq: number };

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  server: string;
  migrations: { applied: number; lastCreatedAt: string | null };
  tables: (Table & Fingerprint & { file: string })[];
  sequences: Record<string, string | null>;
  audit: AuditState;
};

export class BackupError extends Error {}

const tableFile = (table: string) => path.join('tables', `${table}.ndjson.gz`);

export async function backupDatabase(args: {
  pool: pg.Pool;
  outDir: string;
  log: Log;
}): Promise<BackupManifest> {
  const outDir = path.resolve(args.outDir);
  if (fs.existsSync(outDir)) throw new BackupError(`${outDir} already exists: choose a new directory.`);
  const staging = `${outDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'tables'), { recursive: true, mode: 0o700 });

  const client = await args.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await applySameOutput(client, true);
    const tables = [...(await describeTables(client)).values()].sort((a, b) => a.name.localeCompare(b.name));
    const written: BackupManifest['tables'] = [];
    for (const table of tables) {
      const expected = await fingerprint(client, table);
      const file = tableFile(table.name);
      const lines = await writeTable(client, table, path.join(staging, file));
      if (String(lines) !== expected.rows) {
        throw new BackupError(`table ${table.name}: ${expected.rows} rows in the database, ${lines} written`);
      }
      written.push({ ...table, ...expected, file });
    }
    const audit = await verifyAuditChain(drizzle({ client, schema }) as unknown as Db);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      server: String((await client.query('SELECT version() AS v')).rows[0].v),
      migrations: await readMigrations(client),
      tables: written,
      sequences: await readSequences(client),
      audit: audit.ok
        ? { ok: true, checked: audit.checked }
        : { ok: false, checked: audit.checked, brokenAtSeq: audit.brokenAtSeq },
    };
    await client.query('COMMIT');
    fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(staging, outDir);
    const rows = written.reduce((sum, t) => sum + BigInt(t.rows), 0n);
    args.log(`Backed up ${rows} rows in ${written.length} tables to ${outDir}.`);
    if (!audit.ok) {
      args.log(
        `WARNING: the audit chain is broken at entry #${audit.brokenAtSeq} (${audit.reason}); backed up as it is.`,
      );
    }
    return manifest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    client.release();
  }
}

async function writeTable(client: pg.PoolClient, table: Table, file: string): Promise<number> {
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  let lines = 0;
  for await (const rows of readTable(client, table)) {
    lines += rows.length;
    if (!gzip.write(`${rows.join('\n')}\n`)) await once(gzip, 'drain');
  }
  gzip.end();
  await finished(out);
  return lines;
}

async function readMigrations(client: pg.PoolClient): Promise<BackupManifest['migrations']> {
  const exists = await client.query(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  if (!exists.rows[0].t) return { applied: 0, lastCreatedAt: null };
  const result = await client.query(
    'SELECT count(*)::int AS applied, max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
  );
  return { applied: result.rows[0].applied, lastCreatedAt: result.rows[0].last };
}

export function readManifest(fromDir: string): BackupManifest {
  const file = path.join(fromDir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new BackupError(
      `${fromDir} is not a complete backup (no manifest.json): a backup still being written is named *.partial.`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) {
    throw new BackupError(
      `${fromDir} is not a backup this version reads (${manifest.format} ${manifest.version}).`,
    );
  }
  return manifest;
}

/**
 * Loads a backup into an empty database migrated to the same schema, in one transaction: each table's
 * fingerprint and the audit chain must match what the backup recorded, or nothing is kept.
 * Needs a superuser connection (foreign keys are checked as a whole, not per table in load order):
 * the embedded server's user is one.
 */
export async function restoreDatabase(args: {
  pool: pg.Pool;
  fromDir: string;
  log: Log;
}): Promise<{ counts: [string, string][] }> {
  const fromDir = path.resolve(args.fromDir);
  const manifest = readManifest(fromDir);
  const client = await args.pool.connect();
  let open = false;
  try {
    const target = await describeTables(client);
    const mismatch = compareSchemas(new Map(manifest.tables.map((t) => [t.name, t])), target, {
      source: 'backup',
      target: 'target',
    });
    if (mismatch) {
      throw new BackupError(
        `the backup does not match this database's schema (${mismatch}). Restore it with the release that made it (${manifest.migrations.applied} migrations), then upgrade.`,
      );
    }
    const holding = await firstTableWithRows(client);
    if (holding) {
      throw new BackupError(
        `the database is not empty (table ${holding} holds rows): restore into a new DATA_DIR, or an empty database.`,
      );
    }
    await client.query('BEGIN');
    open = true;
    await applySameOutput(client, true);
    try {
      await client.query('SET LOCAL session_replication_role = replica');
    } catch (error) {
      throw new BackupError(
        `restoring needs a superuser connection (the embedded server's user is one): ${(error as Error).message}`,
      );
    }
    const counts: [string, string][] = [];
    for (const entry of manifest.tables) {
      const table = target.get(entry.name)!;
      await loadTable(client, table, path.join(fromDir, entry.file));
      const loaded = await fingerprint(client, table);
      if (loaded.rows !== entry.rows || loaded.hash !== entry.hash) {
        throw new BackupError(
          `table ${entry.name}: the loaded rows (${loaded.rows}) differ from the backup's (${entry.rows}); the backup file may be damaged`,
        );
      }
      counts.push([entry.name, loaded.rows]);
    }
    await moveSequences(client, manifest.sequences);
    const chain = await verifyAuditChain(drizzle({ client, schema }) as unknown as Db);
    const same = chain.ok
      ? manifest.audit.ok && chain.checked === manifest.audit.checked
      : !manifest.audit.ok && chain.brokenAtSeq === manifest.audit.brokenAtSeq;
    if (!same) throw new BackupError('the audit chain after loading differs from the backup’s');
    await client.query('COMMIT');
    open = false;
    const width = Math.max(...counts.map(([name]) => name.length));
    args.log('Rows restored per table:');
    for (const [name, rows] of counts) args.log(`  ${name.padEnd(width)}  ${rows.padStart(9)}`);
    args.log(
      chain.ok
        ? `Audit chain intact (${chain.checked} entries).`
        : `WARNING: the audit chain was already broken at entry #${chain.brokenAtSeq} in the backup; restored as it was.`,
    );
    return { counts };
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function loadTable(client: pg.PoolClient, table: Table, file: string): Promise<void> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let batch: string[] = [];
  let bytes = 0;
  for await (const line of lines) {
    if (!line) continue;
    batch.push(line);
    bytes += line.length;
    if (bytes >= CHUNK_BYTES) {
      await insertRows(client, table, batch);
      batch = [];
      bytes = 0;
    }
  }
  await insertRows(client, table, batch);
}

/** `<name>-YYYYMMDD-HHMMSS` in local time. */
export function stampedName(prefix: string, now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}
