import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one query interface services use. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

/** Where the server runs: managed by the app under DATA_DIR, or reached through DATABASE_URL. Same engine, same driver. */
export type DatabaseKind = 'embedded' | 'postgres';

export type Database = {
  kind: DatabaseKind;
  db: Db;
  /** The connection pool underneath, for what drizzle does not cover (LISTEN, COPY). */
  pool: pg.Pool;
  close: () => Promise<void>;
};

export type OpenDatabaseOptions = {
  kind: DatabaseKind;
  url: string;
  maxConnections?: number;
  /** Runs after the pool has ended (the embedded server stops there). */
  afterClose?: () => Promise<void>;
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // A connection that drops (server restart, a full disk) must not crash the process: an idle one is
  // replaced by the pool, a checked-out one fails its next query, which the caller sees.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  // Fail now, with the server's own message, rather than at the first request.
  const probe = await pool.connect();
  probe.release();
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  let closed = false;
  return {
    kind: options.kind,
    db,
    pool,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
      await options.afterClose?.();
    },
  };
}

/** Runs raw SQL and returns its rows. */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
