import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of a signing key's private half (pure; node:crypto only). The key-encryption
 * key (KEK, 32 bytes) lives outside the database (see kek.ts); the database holds only
 * `v1.<base64url(nonce ‖ ciphertext ‖ tag)>` and the KEK's id.
 *
 * - AES-256-GCM with a random 96-bit nonce per sealing: a key is sealed a handful of times in its
 *   life (created, re-sealed by a KEK rotation), far below GCM's random-nonce limit.
 * - The signing key's kid is the associated data, so a ciphertext moved onto another key's row (or a
 *   row whose kid was edited) fails authentication instead of signing under the wrong kid.
 * - The KEK id is a hash of the KEK under its own label: it tells which KEK sealed a row, so a start
 *   with the wrong KEK says so plainly instead of failing as "damaged". It reveals nothing usable
 *   about a random 32-byte key.
 */

export const KEK_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

export type Kek = { id: string; key: Buffer };

/** The id stored beside each ciphertext: the same KEK always gives the same id. */
export function kekIdOf(key: Buffer): string {
  return createHash('sha256').update('ocop-signing-kek-id:').update(key).digest('base64url').slice(0, 16);
}

export function kekFrom(key: Buffer): Kek {
  if (key.length !== KEK_BYTES) throw new Error(`a key-encryption key is ${KEK_BYTES} bytes`);
  return { id: kekIdOf(key), key };
}

const associatedData = (kid: string) => Buffer.from(`ocop-verification-signing-key:${FORMAT}:${kid}`, 'utf8');

/** Seals `secret` (a private key's PKCS#8 DER) for the key `kid`. */
export function seal(kek: Kek, kid: string, secret: Buffer): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(kid));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return `${FORMAT}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The ciphertext is not one this KEK sealed for this kid: altered, damaged, or moved from another row. */
export class EnvelopeError extends Error {}

/** Opens what `seal` made with the same KEK and kid; anything else throws `EnvelopeError`. */
export function open(kek: Kek, kid: string, sealed: string): Buffer {
  const [format, encoded, ...rest] = sealed.split('.');
  if (format !== FORMAT || encoded === undefined || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(encoded)) {
    throw new EnvelopeError('not a sealed key of a known format');
  }
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.length < NONCE_BYTES + TAG_BYTES + 1) throw new EnvelopeError('sealed key too short');
  const nonce = bytes.subarray(0, NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(kid));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // GCM says only "unable to authenticate": the caller names the key and what to do.
    throw new EnvelopeError('sealed key failed authentication');
  }
}
