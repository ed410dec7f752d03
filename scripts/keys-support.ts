import { type Config, ConfigError } from '../src/config';
import { type Database, openDatabase } from '../src/db/client';
import { EmbeddedServerError, runningServerUrl } from '../src/db/embedded-server';
import { setUpSigning } from '../src/modules/verification/key-service';
import { prepareDatabase } from '../src/server/bootstrap';

/**
 * The database the key commands work on: with the embedded database, the server the running app
 * started (as db:backup does), else the configured one, started and brought up to date here. The
 * signing keys are set up as at an app start, so a missing or wrong key-encryption key stops here.
 */
export async function openForKeys(config: Config): Promise<{ database: Database; where: string }> {
  const running = config.databaseUrl
    ? null
    : runningServerUrl({ clusterDir: config.embeddedClusterDir, secretsDir: config.secretsDir });
  const database = running
    ? await openDatabase({ kind: 'embedded', url: running, maxConnections: 2 })
    : await prepareDatabase(config, () => {});
  try {
    await setUpSigning({ database, config, log: console.log });
  } catch (error) {
    await database.close();
    throw error;
  }
  const where = running
    ? 'the running embedded server'
    : config.databaseUrl
      ? 'the PostgreSQL server at DATABASE_URL'
      : 'the embedded server';
  return { database, where };
}

/** Prints what went wrong (the message alone when it is one a person acts on) and exits 1. */
export async function failKeys(what: string, error: unknown, database: Database | undefined): Promise<never> {
  if (error instanceof ConfigError || error instanceof EmbeddedServerError) {
    console.error(`${what} failed: ${error.message}`);
  } else console.error(`${what} failed:`, error);
  await database?.close().catch(() => {});
  process.exit(1);
}
