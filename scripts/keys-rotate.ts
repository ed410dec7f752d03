import { loadConfig } from '../src/config';
import type { Database } from '../src/db/client';
import { rotateSigningKey } from '../src/modules/verification/key-service';
import { failKeys, openForKeys } from './keys-support';

/**
 * npm run keys:rotate
 *
 * Retires the active verification signing key and makes a new one, sealed with the installation's
 * key-encryption key. Codes already printed keep verifying: retired public keys stay published at
 * /.well-known/ocop-verification-key. Runs while the app serves; every running instance hears of the
 * new key at once (a notice on the verification channel). Written in the audit log.
 */
let database: Database | undefined;
try {
  const opened = await openForKeys(loadConfig());
  database = opened.database;
  const rotation = await rotateSigningKey({ ctx: { database, actor: null } });
  console.log(
    `Signing key rotated on ${opened.where}: ${rotation.active} is now the active key${
      rotation.retired
        ? `; ${rotation.retired} is retired and stays published, so codes printed with it keep verifying`
        : ''
    }. New codes are signed with ${rotation.active}.`,
  );
  await database.close();
  process.exit(0);
} catch (error) {
  await failKeys('Key rotation', error, database);
}
