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
import { signedMessage } from '../certificates/rules';
import { verificationSigningKeys } from './schema';

/**
 * The installation's Ed25519 key pair for verification codes (node:crypto, no extra package).
 * A code is the certificate number plus a 64-byte signature of `signedMessage(number)` in base64url
 * (86 characters), carried in the verification address `/v/<number>?s=<signature>`. Anyone can check
 * it offline with the public key published at /.well-known/ocop-verification-key (a JWK Set).
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
function keyId(rawPublicKey: string): string {
  return createHash('sha256').update(rawPublicKey).digest('base64url').slice(0, 16);
}

function rawPublicKeyOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x) throw new Error('Ed25519 public key without x');
  return jwk.x;
}

// Keys change only by rotation (a restart picks the new one up); reading them per scan would cost a query.
const cache = new WeakMap<Db, Promise<SigningKeys>>();

export function signingKeys(db: Db): Promise<SigningKeys> {
  let keys = cache.get(db);
  if (!keys) {
    keys = loadOrCreateKeys(db);
    cache.set(db, keys);
    keys.catch(() => cache.delete(db));
  }
  return keys;
}

async function loadOrCreateKeys(db: Db): Promise<SigningKeys> {
  let rows = await db.select().from(verificationSigningKeys);
  if (!rows.some((r) => r.retiredAt === null)) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = rawPublicKeyOf(publicKey);
    // The partial unique index keeps one active key: when another instance won the race, ours is dropped.
    await db
      .insert(verificationSigningKeys)
      .values({
        kid: keyId(raw),
        publicKey: raw,
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      })
      .onConflictDoNothing();
    rows = await db.select().from(verificationSigningKeys);
  }
  const activeRow = rows.find((r) => r.retiredAt === null);
  if (!activeRow) throw new Error('No active verification signing key');
  const verifiers = rows.map((r) => ({
    kid: r.kid,
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: r.publicKey }, format: 'jwk' }),
  }));
  return {
    active: { kid: activeRow.kid, privateKey: createPrivateKey(activeRow.privateKeyPem) },
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
