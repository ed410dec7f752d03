import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Database, Db } from '../../src/db/client';
import { migrationsFolder } from '../../src/db/migrate';
import * as schema from '../../src/db/schema';

/**
 * A data directory as the previous release (PGlite under DATA_DIR/db) left it, made at test time:
 * PGlite with the extensions and migrations that release used, wrapped as a `Database` so the app's
 * own services write into it (they only use `database.db`; the pool is a placeholder never connected).
 */
export async function openLegacyPglite(legacyDir: string): Promise<{ client: PGlite; database: Database }> {
  fs.mkdirSync(legacyDir, { recursive: true });
  const client = await PGlite.create(legacyDir, { extensions: { pg_trgm, unaccent } });
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  const database: Database = {
    kind: 'embedded',
    db: db as unknown as Db,
    pool: new pg.Pool({ max: 1 }),
    close: () => client.close(),
  };
  return { client, database };
}

export const legacyDirOf = (dataDir: string) => path.join(dataDir, 'db');
