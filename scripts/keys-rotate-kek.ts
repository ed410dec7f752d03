import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config';
import { type Database, queryRows } from '../src/db/client';
import type { Kek } from '../src/modules/verification/envelope';
import {
  createKekFile,
  kekFileOf,
  nextKekFileOf,
  parseKek,
  SigningKeyError,
  swapInNextKek,
} from '../src/modules/verification/kek';
import { resealKeys } from '../src/modules/verification/key-service';
import { LISTENER_APPLICATION_NAME } from '../src/modules/verification/notices';
import { registeredKek } from '../src/modules/verification/signing';
import { failKeys, openForKeys } from './keys-support';

/**
 * npm run keys:rotate-kek
 *
 * Re-seals every verification signing key under a new key-encryption key (the signing keys
 * themselves do not change: every code keeps verifying). Stop every app instance first: a running
 * one holds the old KEK and could not read the keys afterwards. The command refuses while an
 * instance is connected.
 * - With the KEK file (DATA_DIR/secrets/signing-kek): a new key is written to signing-kek.next, the
 *   database re-sealed in one transaction, then the new file takes the old one's place and the old
 *   one is kept as signing-kek.retired-<time> (backups made before need it). A start after a stop
 *   between the two steps finishes the swap itself.
 * - With OCOP_SIGNING_KEK: give the new key as OCOP_SIGNING_KEK_NEW (base64 of 32 bytes), then set
 *   OCOP_SIGNING_KEK to it on every instance before starting them.
 */
let database: Database | undefined;
try {
  const config = loadConfig();
  const newSetting = process.env.OCOP_SIGNING_KEK_NEW;
  if (config.signingKek && !newSetting) {
    throw new SigningKeyError(
      'OCOP_SIGNING_KEK is set: give the new key-encryption key as OCOP_SIGNING_KEK_NEW (openssl rand -base64 32).',
    );
  }
  const opened = await openForKeys(config);
  database = opened.database;
  const [running] = await queryRows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`,
  );
  if (running && running.n > 0) {
    throw new SigningKeyError(
      `${running.n} app instance(s) are still connected to the database: stop every instance first (each holds the old key-encryption key), then run this again.`,
    );
  }
  const current = registeredKek(database.db);
  let next: Kek;
  const file = kekFileOf(config);
  if (newSetting) {
    next = parseKek(newSetting, 'OCOP_SIGNING_KEK_NEW');
  } else {
    // A leftover from a run that stopped before re-sealing (a finished one was swapped in at set-up).
    fs.rmSync(nextKekFileOf(file), { force: true });
    next = createKekFile(nextKekFileOf(file));
  }
  if (next.id === current.kek.id) {
    throw new SigningKeyError('The new key-encryption key is the one in use: nothing to do.');
  }
  const kids = await resealKeys({ database, current, next });
  await database.close();
  database = undefined;
  if (newSetting) {
    console.log(
      `Re-sealed ${kids.length} signing key(s) with the new key-encryption key (id ${next.id}). Set OCOP_SIGNING_KEK to the value of OCOP_SIGNING_KEK_NEW on every instance before starting them; keep the old value for restoring backups made before now.`,
    );
  } else {
    const retired = swapInNextKek(file);
    console.log(
      `Re-sealed ${kids.length} signing key(s) with a new key-encryption key (id ${next.id}) in ${file}.${
        retired ? ` The old one is kept as ${retired}: backups made before now need it to restore.` : ''
      } Back up DATA_DIR/secrets again.`,
    );
  }
  process.exit(0);
} catch (error) {
  await failKeys('Key-encryption key rotation', error, database);
}
