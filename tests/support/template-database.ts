import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/client';
import { makeReachableTempDir, startEmbeddedServer } from '../../src/db/embedded-server';
import { bringUpToDate } from '../../src/server/bootstrap';

/**
 * The test run's database server and its template: the embedded PostgreSQL server started for the
 * run (or the server at TEST_DATABASE_URL), with one database migrated and loaded with reference data
 * once. Each test file then gets `CREATE DATABASE … TEMPLATE` of it (~50 ms).
 */
export type TemplateInfo = {
  kind: 'embedded' | 'postgres';
  /** A connection string to the server's maintenance database. */
  url: string;
  templateName: string;
};

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function buildTemplate(): Promise<{ template: TemplateInfo; stop: () => Promise<void> }> {
  const templateName = `ocop_tpl_${process.pid}`;
  let url = process.env.TEST_DATABASE_URL;
  let stopServer = async () => {};
  if (!url) {
    const dataDir = makeReachableTempDir('ocop-test-pg-');
    const server = await startEmbeddedServer({
      clusterDir: path.join(dataDir, 'pg'),
      secretsDir: path.join(dataDir, 'secrets'),
      // A throwaway server: durability buys nothing here and costs seconds per run.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      log: () => {},
    });
    url = server.urlFor('postgres');
    stopServer = async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const kind = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateName}`);
  await admin.query(`CREATE DATABASE ${templateName}`);
  await admin.end();
  const database = await openDatabase({ kind, url: withDatabaseName(url, templateName), maxConnections: 2 });
  await bringUpToDate(database);
  await database.close();
  const template = { kind, url, templateName } as const;
  return {
    template,
    stop: async () => {
      const cleanup = new pg.Client({ connectionString: template.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
      await cleanup.end();
      await stopServer();
    },
  };
}
