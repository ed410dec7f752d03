import { loadConfig } from '../../src/config';
import { type Database, openDatabase } from '../../src/db/client';
import { type App, buildApp } from '../../src/server/app';
import type { TestContext } from './test-app';

/**
 * Another app instance on the test file's database, as a second server behind a load balancer
 * would be: its own `Database` (own pool, own LISTEN connection, own caches), the same database
 * and the same DATA_DIR (uploads are shared storage in a multi-instance deployment).
 */
export type SecondInstance = { app: App; database: Database; close: () => Promise<void> };

/** A second `Database` on the same database as `database` (its pool's connection settings). */
export async function openSameDatabase(database: Database): Promise<Database> {
  const url = database.pool.options.connectionString;
  if (!url) throw new Error('the test database has no connection string');
  return openDatabase({ kind: database.kind, url, maxConnections: 4 });
}

export async function startSecondInstance(t: TestContext): Promise<SecondInstance> {
  const database = await openSameDatabase(t.database);
  const config = loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, sessionSecret: 'test-secret-test-secret-test-secret-00' });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
