import { type Config, ConfigError, loadConfig } from '../src/config';
import type { Database } from '../src/db/client';
import { EmbeddedServerError } from '../src/db/embedded-server';
import { prepareDatabase } from '../src/server/bootstrap';
import type { RequestContext } from '../src/server/context';
import { AppError, renderError } from '../src/server/errors';

/** Parses `--name value` pairs; flags without a value are `true`. */
export function parseArgs(argv: string[]): Record<string, string | true> {
  const args: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!;
    if (!key.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[key.slice(2)] = true;
    else {
      args[key.slice(2)] = next;
      i++;
    }
  }
  return args;
}

/**
 * Runs a command-line task against the configured database (same settings as the server).
 * The embedded database belongs to one process at a time: stop the server first.
 */
export async function runCli(task: (ctx: RequestContext, config: Config) => Promise<number>): Promise<void> {
  let database: Database | undefined;
  try {
    const config = loadConfig();
    database = await prepareDatabase(config);
    const code = await task({ database, config, actor: null, lang: 'vi', ip: 'cli' }, config);
    await database.close();
    process.exit(code);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof EmbeddedServerError) console.error(error.message);
    else if (error instanceof AppError) {
      const body = renderError(error, 'en').error;
      console.error(`${body.message}${body.fields ? ` ${JSON.stringify(body.fields)}` : ''}`);
    } else console.error(error);
    await database?.close().catch(() => {});
    process.exit(1);
  }
}
