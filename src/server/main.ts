import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config';
import { seedDemo } from '../demo/seed';
import { runExpiryJob } from '../modules/certificates/expiry';
import { startScheduler } from '../modules/notifications/jobs';
import { buildApp } from './app';
import { prepareDatabase, sessionSecretFor } from './bootstrap';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main() {
  const config = loadConfig();
  const database = await prepareDatabase(config);
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
  const close = async () => {
    scheduler?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  console.log(`\nOCOP platform on http://localhost:${config.port}  (database: ${database.kind})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
