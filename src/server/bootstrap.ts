import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { type Database, openDatabase } from '../db/client';
import { startEmbeddedServer } from '../db/embedded-server';
import { migrateDatabase } from '../db/migrate';
import { upgradeFromPglite } from '../db/pglite-upgrade';
import { loadAdminUnits } from '../modules/admin-units';
import { loadShippedCriteria } from '../modules/criteria';
import { setUpSigning } from '../modules/verification';

type Log = (message: string) => void;

/**
 * Opens the configured database: the PostgreSQL server at DATABASE_URL, or the embedded one, started
 * here and stopped when the returned database closes.
 */
export async function openConfiguredDatabase(config: Config, log: Log = console.log): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ kind: 'postgres', url: config.databaseUrl });
  const server = await startEmbeddedServer({
    clusterDir: config.embeddedClusterDir,
    secretsDir: config.secretsDir,
    log,
  });
  try {
    return await openDatabase({
      kind: 'embedded',
      url: server.url,
      maxConnections: 20,
      afterClose: server.stop,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Opens the configured database and brings it to the current schema and reference data. */
export async function prepareDatabase(config: Config, log: Log = console.log): Promise<Database> {
  const database = await openConfiguredDatabase(config, log);
  try {
    await migrateDatabase(database);
    // A data directory of the release that ran PGlite: its records move into the new server once.
    if (database.kind === 'embedded')
      await upgradeFromPglite({ legacyDir: config.legacyEmbeddedDir, database, log });
    await loadReferenceData(database);
    // The signing key's key-encryption key found (or made), plaintext keys of the previous release
    // sealed: a missing or wrong one stops the start here, before the demo or a command signs.
    await setUpSigning({ database, config, log });
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * Applies the migrations and loads the reference data the app ships (administrative units,
 * criteria rule-sets and sheets). Each loader is idempotent and cheap when nothing changed.
 */
export async function bringUpToDate(database: Database): Promise<void> {
  await migrateDatabase(database);
  await loadReferenceData(database);
}

async function loadReferenceData(database: Database): Promise<void> {
  await loadAdminUnits(database.db);
  await loadShippedCriteria({ ctx: { database, actor: null } });
}

/**
 * The cookie-signing secret: SESSION_SECRET when set (required when several instances share a
 * database), otherwise one generated on first start and kept under DATA_DIR.
 */
export function sessionSecretFor(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.secretsDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
