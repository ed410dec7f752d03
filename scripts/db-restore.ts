import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { BackupError, readManifest, restoreDatabase } from '../src/db/backup';
import type { Database } from '../src/db/client';
import { EmbeddedServerError } from '../src/db/embedded-server';
import { migrateDatabase } from '../src/db/migrate';
import { openConfiguredDatabase } from '../src/server/bootstrap';
import { parseArgs } from './cli';

/**
 * npm run db:restore -- --from DIR
 *
 * Loads a backup made by `npm run db:backup` into the configured database, which must be empty: a new
 * DATA_DIR (the embedded server is initialised and migrated here), or an empty database at
 * DATABASE_URL (a superuser connection). Copies the backup's uploads into DATA_DIR/uploads. Stop the
 * app first; then start it as usual.
 */

let database: Database | undefined;
try {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2));
  if (typeof args.from !== 'string') {
    console.error('Usage: npm run db:restore -- --from DIR   (a directory made by npm run db:backup)');
    process.exit(2);
  }
  const fromDir = path.resolve(args.from);
  const manifest = readManifest(fromDir);
  console.log(`Restoring the backup of ${manifest.createdAt} from ${fromDir}…`);
  database = await openConfiguredDatabase(config);
  await migrateDatabase(database);
  await restoreDatabase({ pool: database.pool, fromDir, log: console.log });
  await database.close();
  database = undefined;
  const uploads = path.join(fromDir, 'uploads');
  if (fs.existsSync(uploads)) {
    try {
      // Files already there are kept as they are.
      fs.cpSync(uploads, config.uploadsDir, { recursive: true, force: false });
    } catch (error) {
      console.error(
        `The database is restored, but copying ${uploads} into ${config.uploadsDir} failed (${(error as Error).message}): copy it by hand.`,
      );
      process.exit(1);
    }
    console.log(`Copied the backup's uploads into ${config.uploadsDir}.`);
  }
  console.log('Restore complete. Start the app as usual (npm start).');
  process.exit(0);
} catch (error) {
  if (error instanceof ConfigError || error instanceof EmbeddedServerError || error instanceof BackupError) {
    console.error(`Restore failed, no rows were kept: ${error.message}`);
  } else console.error('Restore failed, no rows were kept:', error);
  await database?.close().catch(() => {});
  process.exit(1);
}
