import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type Config, ConfigError, loadConfig } from '../src/config';
import { BackupError, backupDatabase, stampedName } from '../src/db/backup';
import { EmbeddedServerError, runningServerUrl } from '../src/db/embedded-server';
import { openConfiguredDatabase } from '../src/server/bootstrap';
import { parseArgs } from './cli';

/**
 * npm run db:backup -- [--out DIR]
 *
 * A consistent logical backup of the database (see src/db/backup.ts) and a copy of DATA_DIR/uploads,
 * into DIR (default DATA_DIR/backups/ocop-<date>-<time>). Runs while the app serves: with the embedded
 * database it connects to the server the running app started; with none running it starts the server
 * itself; with DATABASE_URL it connects there.
 */

type Connection = { pool: pg.Pool; close: () => Promise<void>; where: string };

async function connect(config: Config): Promise<Connection> {
  const url =
    config.databaseUrl ??
    runningServerUrl({ clusterDir: config.embeddedClusterDir, secretsDir: config.secretsDir });
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    const where = config.databaseUrl
      ? 'the PostgreSQL server at DATABASE_URL'
      : 'the running embedded server';
    return { pool, close: () => pool.end(), where };
  }
  const database = await openConfiguredDatabase(config, () => {});
  return {
    pool: database.pool,
    close: database.close,
    where: 'the embedded server (started for the backup)',
  };
}

let connection: Connection | undefined;
try {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(
    typeof args.out === 'string' ? args.out : path.join(config.dataDir, 'backups', stampedName('ocop')),
  );
  connection = await connect(config);
  console.log(`Backing up the database from ${connection.where} to ${outDir}…`);
  const manifest = await backupDatabase({ pool: connection.pool, outDir, log: console.log });
  await connection.close();
  connection = undefined;
  // Right after the snapshot: a file added since is one too many (harmless), never one too few.
  if (fs.existsSync(config.uploadsDir)) {
    fs.cpSync(config.uploadsDir, path.join(outDir, 'uploads'), { recursive: true });
    console.log(`Copied ${config.uploadsDir} to ${path.join(outDir, 'uploads')}.`);
  }
  console.log(
    `Backup complete: ${manifest.tables.length} tables, audit chain ${manifest.audit.ok ? `intact (${manifest.audit.checked} entries)` : `BROKEN at #${manifest.audit.brokenAtSeq}`}. Restore with: npm run db:restore -- --from ${outDir}`,
  );
  console.log(
    `The signing key is in the backup only encrypted; its key-encryption key is not: keep a copy of ${config.signingKek ? 'OCOP_SIGNING_KEK' : config.secretsDir} apart from the backup (a restore needs it to start).`,
  );
  process.exit(0);
} catch (error) {
  if (error instanceof ConfigError || error instanceof EmbeddedServerError || error instanceof BackupError) {
    console.error(`Backup failed: ${error.message}`);
  } else console.error('Backup failed:', error);
  await connection?.close().catch(() => {});
  process.exit(1);
}
