import { createPrivateKey, createPublicKey } from 'node:crypto';
import { eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { type Database, type Db, type DbOrTx, queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { recordAudit, recordAudits } from '../audit';
import { type Kek, seal } from './envelope';
import {
  configuredKek,
  createKekFile,
  finishKekRotation,
  type KekSource,
  kekFileOf,
  SigningKeyError,
} from './kek';
import { announceVerificationChange, applyVerificationChange } from './notices';
import { verificationSigningKeys as keys } from './schema';
import {
  forgetSigningKeys,
  newSealedKey,
  rawPublicKeyOf,
  registeredKek,
  registerKek,
  signingKeys,
  unsealPrivateKey,
  wrongKek,
} from './signing';

/**
 * The signing keys' life: set up at each start (the KEK found or made, keys left in plaintext by the
 * previous release sealed), rotated on demand (a new active key; the old one retired but still
 * published), and re-sealed under a new KEK. Every change is audited and announced to the other
 * instances in its transaction. Nothing here logs or returns key material.
 */

type Log = (message: string) => void;
type SetUp = { database: Database; config: Pick<Config, 'secretsDir' | 'signingKek'>; log?: Log };

const ENTITY = 'verification_signing_key';

/** Serialises key changes (first key, rotation, sealing, re-sealing); plain reads are not blocked. */
const lockKeys = (tx: DbOrTx) =>
  tx.execute(sql`LOCK TABLE verification_signing_keys IN SHARE ROW EXCLUSIVE MODE`);

/**
 * At start-up, before anything signs: finds the KEK (setting, file, or a new file when the database
 * has no sealed key yet), seals keys the previous release stored in plaintext, and checks that the
 * KEK opens the active key, so a wrong or missing KEK stops the start with what to do. Idempotent
 * and safe when several instances start at once.
 */
export async function setUpSigning({ database, config, log = () => {} }: SetUp): Promise<KekSource> {
  const { db } = database;
  const file = kekFileOf(config);
  let kek: KekSource;
  const configured = configuredKek(config, log);
  if (configured) kek = configured;
  else {
    const [sealed] = await queryRows<{ kek_id: string }>(
      db,
      sql`SELECT kek_id FROM verification_signing_keys WHERE kek_id IS NOT NULL LIMIT 1`,
    );
    if (sealed) {
      // A KEK rotation that stopped between moving the old file away and putting the new one in place.
      const finished = finishKekRotation(file, sealed.kek_id);
      if (!finished) {
        throw new SigningKeyError(
          `This database's signing key is encrypted with a key-encryption key (KEK id ${sealed.kek_id}) that this installation does not have: ${file} is missing and OCOP_SIGNING_KEK is not set. Restore DATA_DIR/secrets/signing-kek from the backup of DATA_DIR/secrets (a database backup never holds it), or set OCOP_SIGNING_KEK to that key. Nothing was changed.`,
        );
      }
      log(`Finished the key-encryption key rotation that stopped before ${file} was in place.`);
      kek = { kek: finished, where: file };
    } else kek = { kek: createKekFile(file), where: file };
  }
  const rows = await db.select({ kid: keys.kid, kekId: keys.kekId }).from(keys).where(isNotNull(keys.kekId));
  const foreign = rows.find((r) => r.kekId !== kek.kek.id);
  if (foreign?.kekId) {
    // A KEK rotation that stopped after re-sealing, before the new file replaced the old one.
    const finished = config.signingKek ? null : finishKekRotation(file, foreign.kekId);
    if (!finished) throw wrongKek(foreign.kekId, kek);
    log(`Finished the key-encryption key rotation that stopped before ${file} was replaced.`);
    kek = { kek: finished, where: file };
    const other = rows.find((r) => r.kekId !== finished.id);
    if (other?.kekId) throw wrongKek(other.kekId, kek);
  }
  registerKek(db, kek);
  const sealed = await sealLegacyKeys(db, kek.kek);
  if (sealed.length) {
    log(
      `Encrypted ${sealed.length} verification signing key(s) stored in plaintext by the previous release (${sealed.join(', ')}). Backups made before this start still hold them in plaintext: run \`npm run keys:rotate\` so new codes are signed with a key that never was.`,
    );
  }
  // The keys read (and the first one made) now, not at the first scan: the active key must open with
  // this KEK, so app servers started on one database with different KEKs (no shared DATA_DIR and no
  // OCOP_SIGNING_KEK) stop at start with the message, never fail later on a scan.
  forgetSigningKeys(db);
  await signingKeys(db);
  return kek;
}

/**
 * Seals every row still holding a PEM and empties its plaintext column, in one transaction. Two
 * instances starting at once: the second waits for the first's lock, then finds nothing left to do.
 */
async function sealLegacyKeys(db: Db, kek: Kek): Promise<string[]> {
  const [waiting] = await db
    .select({ kid: keys.kid })
    .from(keys)
    .where(isNotNull(keys.legacyPrivateKeyPem))
    .limit(1);
  if (!waiting) return [];
  return db.transaction(async (tx) => {
    await lockKeys(tx);
    const rows = await tx.select().from(keys).where(isNotNull(keys.legacyPrivateKeyPem));
    for (const row of rows) {
      let der: Buffer;
      try {
        const privateKey = createPrivateKey(row.legacyPrivateKeyPem ?? '');
        if (rawPublicKeyOf(createPublicKey(privateKey)) !== row.publicKey) throw new Error('mismatch');
        der = privateKey.export({ format: 'der', type: 'pkcs8' });
      } catch {
        throw new SigningKeyError(
          `The signing key ${row.kid} stored by the previous release is not a readable Ed25519 key matching its public key: the row was altered. Restore the database from a backup.`,
        );
      }
      try {
        await tx
          .update(keys)
          .set({ legacyPrivateKeyPem: null, kekId: kek.id, privateKeySealed: seal(kek, row.kid, der) })
          .where(eq(keys.kid, row.kid));
      } finally {
        der.fill(0);
      }
    }
    await recordAudits(
      tx,
      { actor: null },
      rows.map((row) => ({
        action: 'verification.signing_key_sealed',
        entityType: ENTITY,
        entityId: row.kid,
        after: { kekId: kek.id },
      })),
    );
    return rows.map((row) => row.kid);
  });
}

export type Rotation = { retired: string | null; active: string };

/**
 * Retires the active key and makes a new one, sealed with this database's KEK. Retired keys stay
 * published and keep verifying the codes they signed; every instance signs with the new key once
 * it hears the notice sent at commit (this one at once).
 */
export async function rotateSigningKey({
  ctx,
}: {
  ctx: Pick<RequestContext, 'database' | 'actor'>;
}): Promise<Rotation> {
  const { database } = ctx;
  const kek = registeredKek(database.db);
  const fresh = newSealedKey(kek.kek);
  const retired = await database.db.transaction(async (tx) => {
    await lockKeys(tx);
    await checkAllSealedWith(tx, kek);
    const [old] = await tx
      .update(keys)
      .set({ retiredAt: sql`now()` })
      .where(isNull(keys.retiredAt))
      .returning({ kid: keys.kid });
    await tx.insert(keys).values(fresh);
    await recordAudit(tx, ctx, {
      action: 'verification.signing_key_rotated',
      entityType: ENTITY,
      entityId: fresh.kid,
      before: old ? { activeKid: old.kid } : null,
      after: { activeKid: fresh.kid, kekId: kek.kek.id },
    });
    await announceVerificationChange(tx, { keys: true });
    return old?.kid ?? null;
  });
  announceLocally(database);
  return { retired, active: fresh.kid };
}

/**
 * Re-seals every key under `next` (after checking `current` opens each one), in one transaction.
 * Instances still running with the old KEK cannot read the keys afterwards: the command that calls
 * this (scripts/keys-rotate-kek.ts) runs with the app stopped and puts the new KEK in place.
 */
export async function resealKeys({
  database,
  current,
  next,
}: {
  database: Database;
  current: KekSource;
  next: Kek;
}): Promise<string[]> {
  const kids = await database.db.transaction(async (tx) => {
    await lockKeys(tx);
    await checkAllSealedWith(tx, current);
    const rows = await tx.select().from(keys);
    for (const row of rows) {
      const der = unsealPrivateKey(current, row).export({ format: 'der', type: 'pkcs8' });
      try {
        await tx
          .update(keys)
          .set({ kekId: next.id, privateKeySealed: seal(next, row.kid, der) })
          .where(eq(keys.kid, row.kid));
      } finally {
        der.fill(0);
      }
    }
    await recordAudit(
      tx,
      { actor: null },
      {
        action: 'verification.signing_kek_rotated',
        entityType: ENTITY,
        entityId: 'all',
        before: { kekId: current.kek.id },
        after: { kekId: next.id, keys: rows.map((r) => r.kid) },
      },
    );
    await announceVerificationChange(tx, { keys: true });
    return rows.map((r) => r.kid);
  });
  registerKek(database.db, { kek: next, where: current.where });
  announceLocally(database);
  return kids;
}

async function checkAllSealedWith(tx: DbOrTx, kek: KekSource) {
  const rows = await tx
    .select({ kid: keys.kid, kekId: keys.kekId, legacy: keys.legacyPrivateKeyPem })
    .from(keys);
  for (const row of rows) {
    if (row.legacy !== null || row.kekId === null) {
      throw new SigningKeyError(
        `The signing key ${row.kid} is still stored in plaintext: start the app once (it encrypts it), then try again.`,
      );
    }
    if (row.kekId !== kek.kek.id) throw wrongKek(row.kekId, kek);
  }
}

function announceLocally(database: Database) {
  forgetSigningKeys(database.db);
  applyVerificationChange(database, { keys: true });
}
