import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the checked-in SQL migrations. */
export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(database.db as unknown as NodePgDatabase, { migrationsFolder });
}
