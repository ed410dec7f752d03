import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config';
import type { Database } from '../db/client';
import { diskNearlyFull, EmbeddedServerError, isDiskFull } from '../db/embedded-server';
import { seedDemo } from '../demo/seed';
import { runExpiryJob } from '../modules/certificates';
import { startScheduler } from '../modules/notifications';
import { buildApp } from './app';
import { prepareDatabase, sessionSecretFor } from './bootstrap';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Kept outside main so a failed start still stops the embedded server it started. */
let opened: Database | undefined;
let dataDir = '.';

async function main() {
  const config = loadConfig();
  dataDir = config.dataDir;
  const database = await prepareDatabase(config);
  opened = database;
  if (config.demo) {
    const logins = await seedDemo(database, config);
    console.log('\nDemo province loaded. Demo logins (password for all: %s):', logins.password);
    for (const login of logins.accounts) console.log(`  ${login.role.padEnd(18)} ${login.email}`);
  }
  const app = await buildApp({
    config,
    database,
    sessionSecret: sessionSecretFor(config),
    webDir: config.webDir ?? path.join(rootDir, 'dist/web'),
    logger: true,
  });
  // Daily jobs: every instance checks, one runs each day's work (claimed in the database).
  const scheduler = config.jobsEnabled
    ? startScheduler({
        everyMinutes: config.jobsCheckMinutes,
        jobs: [
          {
            name: 'certificate-expiry',
            run: (now) => runExpiryJob({ ctx: { database, config, actor: null }, today: now }),
          },
        ],
        onError: (job, error) => app.log.error({ err: error, job }, 'scheduled job failed'),
      })
    : null;
  // The embedded server stops after the app has answered its last requests (database.close).
  const close = async () => {
    scheduler?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartError(
        `Port ${config.port} is already in use by another program: stop it, or set PORT to another port.`,
      );
    }
    throw error;
  }
  console.log(`\nOCOP platform on http://localhost:${config.port}  (database: ${database.kind})`);
}

/** A failure to start that a person can act on: its message is the whole story. */
class StartError extends Error {}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedServerError || error instanceof StartError) {
    console.error(error.message);
  } else if (
    isDiskFull(String((error as Error)?.message), (error as NodeJS.ErrnoException)?.code) ||
    diskNearlyFull(dataDir)
  ) {
    console.error(
      `The disk holding ${dataDir} is full: free some space and start again.\n(${(error as Error).message})`,
    );
  } else {
    console.error(error);
  }
  await opened?.close().catch(() => {});
  process.exit(1);
});
