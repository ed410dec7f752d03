import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { Db } from '../../db/client';
import { signedMessage } from '../certificates';
import { EnvelopeError, type Kek, open, seal } from './envelope';
import { KEK_FILE_NAME, type KekSource, SigningKeyError } from './kek';
import { verificationSigningKeys } from './schema';

/**
 * The installation's Ed25519 key pair for verification codes (node:crypto, no extra package).
 * A code is the certificate number plus a 64-byte signature of `signedMessage(number)` in base64url
 * (86 characters), carried in the verification address `/v/<number>?s=<signature>`. Anyone can check
 * it offline with the public key published at /.well-known/ocop-verification-key (a JWK Set), which
 * lists every key ever used (retired ones too), so codes printed before a rotation keep verifying.
 * The private key is stored sealed (envelope.ts); it exists in clear only in this process's memory.
 */

export type PublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; use: 'sig'; alg: 'EdDSA' };

export type SigningKeys = {
  active: { kid: string; privateKey: KeyObject };
  /** Every key still published (the active one and retired ones whose labels are still out there). */
  verifiers: { kid: string; publicKey: KeyObject }[];
  jwks: { keys: PublicJwk[] };
};

const SIGNATURE_BYTES = 64;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

/** A short key id derived from the key itself, so two instances that race agree on it. */
export function keyId(rawPublicKey: string): string {
  return createHash('sha256').update(rawPublicKey).digest('base64url').slice(0, 16);
}

export function rawPublicKeyOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x) throw new Error('Ed25519 public key without x');
  return jwk.x;
}

/** A new key pair, its private half sealed with the KEK: the row to insert. Nothing else sees the private key. */
export function newSealedKey(kek: Kek): {
  kid: string;
  publicKey: string;
  kekId: string;
  privateKeySealed: string;
} {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKeyOf(publicKey);
  const kid = keyId(raw);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    return { kid, publicKey: raw, kekId: kek.id, privateKeySealed: seal(kek, kid, der) };
  } finally {
    der.fill(0);
  }
}

type KeyRow = typeof verificationSigningKeys.$inferSelect;

/**
 * The private key of a sealed row, checked against the row's public key. A wrong KEK, an altered
 * ciphertext or a row left in plaintext stop with a message that says what to do.
 */
export function unsealPrivateKey(kek: KekSource, row: KeyRow): KeyObject {
  if (!row.privateKeySealed || !row.kekId) {
    throw new SigningKeyError(
      `The signing key ${row.kid} is still stored in plaintext: it is sealed when the app starts (npm start), which has not completed.`,
    );
  }
  if (row.kekId !== kek.kek.id) throw wrongKek(row.kekId, kek);
  let der: Buffer;
  try {
    der = open(kek.kek, row.kid, row.privateKeySealed);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new SigningKeyError(
      `The signing key ${row.kid} in the database does not decrypt with the key-encryption key that sealed it (id ${row.kekId}, from ${kek.where}): its ciphertext was altered or damaged. Restore the database from a backup.`,
    );
  }
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    if (rawPublicKeyOf(createPublicKey(privateKey)) !== row.publicKey) {
      throw new SigningKeyError(
        `The signing key ${row.kid} does not match its published public key: the row was altered. Restore the database from a backup.`,
      );
    }
    return privateKey;
  } finally {
    der.fill(0);
  }
}

/** The message for a database whose keys another KEK sealed. */
export function wrongKek(sealedWith: string, kek: KekSource): SigningKeyError {
  return new SigningKeyError(
    `This database's signing key was encrypted with another key-encryption key (KEK id ${sealedWith}; the KEK in use here, from ${kek.where}, has id ${kek.kek.id}): restore DATA_DIR/secrets/${KEK_FILE_NAME} from the installation that made the key, or set OCOP_SIGNING_KEK to that key. Nothing was changed.`,
  );
}

/**
 * What one database's signing needs in this process: the KEK (registered at start-up by
 * key-service.ts `setUpSigning`) and the keys read with it. Keys change only by rotation, which
 * every instance hears of (a notice on the verification channel, see runtime.ts); the keys are also
 * read again after `KEYS_MAX_AGE_MS`, so an instance that missed a notice signs with the new key
 * within minutes, and at once when its listener reconnects. Reading them per scan would cost a query.
 */
type SigningState = { kek: KekSource; keys: Promise<SigningKeys> | null; loadedAt: number };

const KEYS_MAX_AGE_MS = 5 * 60_000;
const states = new WeakMap<Db, SigningState>();

/** The KEK this database's keys are sealed with (set once per database object at start-up). */
export function registerKek(db: Db, kek: KekSource): void {
  const state = states.get(db);
  if (state?.kek.kek.id === kek.kek.id) return;
  states.set(db, { kek, keys: null, loadedAt: 0 });
}

export function registeredKek(db: Db): KekSource {
  const state = states.get(db);
  if (!state) {
    throw new Error('The signing keys of this database were used before start-up set them up (setUpSigning)');
  }
  return state.kek;
}

/** Read the keys again at the next use (after a rotation, or when notices may have been missed). */
export function forgetSigningKeys(db: Db): void {
  const state = states.get(db);
  if (state) state.keys = null;
}

export function signingKeys(db: Db): Promise<SigningKeys> {
  const state = states.get(db);
  if (!state)
    return Promise.reject(
      new Error('The signing keys of this database were used before start-up set them up (setUpSigning)'),
    );
  // A monotonic clock: a change of the system time neither expires the keys nor keeps them.
  if (!state.keys || performance.now() - state.loadedAt > KEYS_MAX_AGE_MS) {
    const keys = loadOrCreateKeys(db, state.kek);
    state.keys = keys;
    state.loadedAt = performance.now();
    keys.catch(() => {
      if (state.keys === keys) state.keys = null;
    });
  }
  return state.keys;
}

async function loadOrCreateKeys(db: Db, kek: KekSource): Promise<SigningKeys> {
  let rows = await db.select().from(verificationSigningKeys);
  if (!rows.some((r) => r.retiredAt === null)) {
    // The partial unique index keeps one active key: when another instance won the race, ours is dropped.
    await db.insert(verificationSigningKeys).values(newSealedKey(kek.kek)).onConflictDoNothing();
    rows = await db.select().from(verificationSigningKeys);
  }
  const activeRow = rows.find((r) => r.retiredAt === null);
  if (!activeRow) throw new Error('No active verification signing key');
  const verifiers = rows.map((r) => ({
    kid: r.kid,
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: r.publicKey }, format: 'jwk' }),
  }));
  return {
    active: { kid: activeRow.kid, privateKey: unsealPrivateKey(kek, activeRow) },
    verifiers,
    jwks: {
      keys: rows.map((r) => ({
        kty: 'OKP',
        crv: 'Ed25519',
        x: r.publicKey,
        kid: r.kid,
        use: 'sig',
        alg: 'EdDSA',
      })),
    },
  };
}

export function signCertificateNumber(keys: SigningKeys, number: string): string {
  return sign(null, Buffer.from(signedMessage(number), 'utf8'), keys.active.privateKey).toString('base64url');
}

/** True when the signature is one of the published keys' signature of this number. */
export function verifyCertificateNumber(keys: SigningKeys, number: string, signature: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== SIGNATURE_BYTES) return false;
  const message = Buffer.from(signedMessage(number), 'utf8');
  return keys.verifiers.some((k) => verify(null, message, k.publicKey, bytes));
}

/** The path of a certificate's verification page, signed (the QR code holds the origin + this). */
export function verificationPath(keys: SigningKeys, number: string): string {
  return `/v/${encodeURIComponent(number)}?s=${signCertificateNumber(keys, number)}`;
}
