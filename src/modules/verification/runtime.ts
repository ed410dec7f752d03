import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { type CacheLimits, VerificationCache } from './cache';
import { setUpSigning } from './key-service';
import { NoticeListener, subscribeLocally, type VerificationChange } from './notices';
import { PageCache } from './page-cache';
import { ScanLog, type ScanLogLimits } from './scan-log';
import { forgetSigningKeys } from './signing';

/**
 * What one app instance keeps for the public verification side: the cache of what a page shows,
 * the listener that keeps it current across instances, and the batched scan log. Started by
 * `buildApp` (decorated as `app.verification`), stopped in the app's onClose.
 */
export type VerificationRuntime = {
  cache: VerificationCache;
  pages: PageCache;
  listener: NoticeListener;
  scans: ScanLog;
  /** Writes the waiting scans, stops listening. */
  close: () => Promise<void>;
};

type Log = {
  error: (object: object, message: string) => void;
  warn: (message: string) => void;
};

export async function startVerification(options: {
  database: Database;
  /** Where the signing key's key-encryption key comes from. */
  config: Pick<Config, 'secretsDir' | 'signingKek'>;
  log: Log;
  cache?: CacheLimits;
  scans?: Partial<ScanLogLimits>;
}): Promise<VerificationRuntime> {
  const { database, log } = options;
  // Before anything signs: a missing or wrong key-encryption key stops the start here.
  await setUpSigning({ database, config: options.config, log: (message) => log.warn(message) });
  const cache = new VerificationCache(options.cache);
  const apply = (change: VerificationChange) => {
    if (change.keys) forgetSigningKeys(database.db);
    cache.apply(change);
  };
  const unsubscribe = subscribeLocally(database.pool, apply);
  const listener = new NoticeListener({
    connection: database.pool.options,
    onChange: apply,
    // Connected or dropped, notices may have been missed in between: start from nothing (keys too).
    onListeningChange: (listening) => {
      forgetSigningKeys(database.db);
      cache.setListening(listening);
    },
    onError: (error) => log.error({ err: error }, 'verification cache listener lost its connection'),
  });
  const scans = new ScanLog(database.db, options.scans, (error) =>
    log.error({ err: error }, 'writing verification scans failed'),
  );
  await listener.start();
  let closed: Promise<void> | null = null;
  return {
    cache,
    pages: new PageCache(),
    listener,
    scans,
    close: () => {
      closed ??= (async () => {
        unsubscribe();
        await scans.close();
        await listener.stop();
      })();
      return closed;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    verification: VerificationRuntime;
  }
}
