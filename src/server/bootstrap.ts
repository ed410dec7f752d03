import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { type Database, openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { loadAdminUnits } from '../modules/admin-units/load';
import { loadShippedCriteria } from '../modules/criteria/service';

/** Opens the configured database and brings it to the current schema and reference data. */
export async function prepareDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : await openDatabase({ kind: 'embedded', dataDir: config.embeddedDbDir });
  await bringUpToDate(database);
  return database;
}

/**
 * Applies the migrations and loads the reference data the app ships (administrative units,
 * criteria rule-sets and sheets). Each loader is idempotent and cheap when nothing changed.
 */
export async function bringUpToDate(database: Database): Promise<void> {
  await migrateDatabase(database);
  await loadAdminUnits(database.db);
  await loadShippedCriteria({ ctx: { database, actor: null } });
}

/**
 * The cookie-signing secret: SESSION_SECRET when set (required when several instances share a
 * database), otherwise one generated on first start and kept under DATA_DIR.
 */
export function sessionSecretFor(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'secrets', 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
