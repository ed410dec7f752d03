import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, kekFrom, kekIdOf, open, seal } from './envelope';
import { decodeNotice } from './notices';

const kek = kekFrom(randomBytes(32));
const pkcs8 = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });

/** Flips one bit of the sealed bytes at `index` (negative: from the end). */
function flip(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice(3), 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at]! ^= 0x01;
  return `v1.${bytes.toString('base64url')}`;
}

describe('signing key envelope (AES-256-GCM)', () => {
  it('opens what it sealed, with the same KEK and kid', () => {
    const secret = pkcs8();
    const sealed = seal(kek, 'kid-A', secret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(open(kek, 'kid-A', sealed).equals(secret)).toBe(true);
  });

  it('never shows the key: a fresh nonce per sealing, no plaintext bytes in the output', () => {
    const secret = pkcs8();
    const a = seal(kek, 'kid-A', secret);
    const b = seal(kek, 'kid-A', secret);
    expect(a).not.toBe(b);
    const bytes = Buffer.from(a.slice(3), 'base64url');
    expect(bytes.length).toBe(12 + secret.length + 16);
    // Neither the PKCS#8 encoding nor the 32-byte seed at its end appears.
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(secret.subarray(secret.length - 32))).toBe(false);
    expect(a).not.toContain(secret.toString('base64url'));
  });

  it('refuses another KEK', () => {
    const sealed = seal(kek, 'kid-A', pkcs8());
    expect(() => open(kekFrom(randomBytes(32)), 'kid-A', sealed)).toThrow(EnvelopeError);
  });

  it('refuses a ciphertext sealed for another kid (the kid is the associated data)', () => {
    const sealed = seal(kek, 'kid-A', pkcs8());
    expect(() => open(kek, 'kid-B', sealed)).toThrow(EnvelopeError);
  });

  it('refuses any altered byte: nonce, ciphertext or tag', () => {
    const sealed = seal(kek, 'kid-A', pkcs8());
    for (const index of [0, 11, 12, 30, -17, -1]) {
      expect(() => open(kek, 'kid-A', flip(sealed, index)), `byte ${index}`).toThrow(EnvelopeError);
    }
  });

  it('refuses what is not a sealed key', () => {
    const sealed = seal(kek, 'kid-A', pkcs8());
    for (const bad of ['', 'v1.', `v2.${sealed.slice(3)}`, sealed.slice(0, 20), `${sealed}.x`, 'v1.!!!!']) {
      expect(() => open(kek, 'kid-A', bad), bad).toThrow(EnvelopeError);
    }
  });

  it('names each KEK by a stable id that differs between keys', () => {
    const key = randomBytes(32);
    expect(kekIdOf(key)).toBe(kekIdOf(Buffer.from(key)));
    expect(kekIdOf(key)).not.toBe(kekIdOf(randomBytes(32)));
    expect(kekIdOf(key)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(() => kekFrom(randomBytes(31))).toThrow();
  });
});

describe('key change notices', () => {
  it('carry "keys" and old-format notices still decode; unreadable ones clear everything', () => {
    expect(decodeNotice('{"n":[],"p":null,"k":true}')).toEqual({ numbers: [], keys: true });
    expect(decodeNotice('{"n":["1/2026/OCOP-NB"],"p":null}')).toEqual({ numbers: ['1/2026/OCOP-NB'] });
    expect(decodeNotice('garbage')).toEqual({ all: true, keys: true });
  });
});
